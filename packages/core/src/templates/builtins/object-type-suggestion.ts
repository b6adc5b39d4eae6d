import type { BuiltInTemplateSource } from './built-in.js';

/** Proposes the fields of a new object type; the basis of `chat.suggestFields`. */
export const objectTypeSuggestion: BuiltInTemplateSource = {
  id: 'object-type-suggestion',
  version: 1,
  releasedAt: '2026-11-27T00:00:00.000Z',
  commitMessage: 'first version',
  name: 'Object type suggestion',
  description:
    'Suggests the fields (name, type, required, description) an object type should have, given its name and purpose.',
  tags: ['schema', 'modeling'],
  systemPrompt: `You are an experienced data modeler. You design the fields of business object types for a low-code application.
Propose the fields a practitioner would expect, most important first: identifiers and names, then the attributes the description implies, then status and dates. Do not add technical bookkeeping fields (id, createdAt, updatedAt, createdBy): the platform adds those.
Field names are camelCase English. Use only these types: string, text, number, integer, boolean, date, datetime, email, phone, url, enum, reference, json.
Mark a field required only when a record makes no sense without it. Every description is one short sentence saying what the field holds.
Never repeat a field that already exists. Answer with JSON only, matching the requested schema.`,
  template: `Object type: <%= it.objectType %>
<% if (it.description) { %>Purpose: <%= it.description %>
<% } %><% if (it.domain) { %>Business domain: <%= it.domain %>
<% } %><% if (length(it.existingFields) > 0) { %>Fields it already has (do not repeat them): <%= join(it.existingFields, ', ') %>
<% } %>
Suggest at most <%= it.maxFields %> fields. Reply as JSON: {"fields": [{"name": string, "type": string, "required": boolean, "description": string}]}.`,
  variables: [
    {
      name: 'objectType',
      type: 'string',
      required: true,
      maxLength: 200,
      description: 'Name of the type, e.g. "Invoice".',
    },
    {
      name: 'description',
      type: 'string',
      required: false,
      maxLength: 4000,
      description: 'What the objects are for.',
    },
    {
      name: 'domain',
      type: 'string',
      required: false,
      maxLength: 200,
      description: 'Industry or domain, e.g. "logistics".',
    },
    {
      name: 'existingFields',
      type: 'array',
      required: false,
      default: [],
      maxLength: 200,
      description: 'Names of fields that exist already.',
    },
    {
      name: 'maxFields',
      type: 'number',
      required: false,
      default: 12,
      description: 'Upper bound of fields to suggest.',
    },
  ],
  options: { temperature: 0.2 },
  output: {
    jsonSchema: {
      type: 'object',
      properties: {
        fields: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              name: { type: 'string', minLength: 1 },
              type: {
                type: 'string',
                enum: [
                  'string',
                  'text',
                  'number',
                  'integer',
                  'boolean',
                  'date',
                  'datetime',
                  'email',
                  'phone',
                  'url',
                  'enum',
                  'reference',
                  'json',
                ],
              },
              required: { type: 'boolean' },
              description: { type: 'string' },
            },
            required: ['name', 'type', 'required', 'description'],
          },
        },
      },
      required: ['fields'],
    },
  },
};
