import type { BuiltInTemplateSource } from './built-in.js';

/** Judges one field value against its type, rules and context; the basis of `chat.validateField`. */
export const fieldValidation: BuiltInTemplateSource = {
  id: 'field-validation',
  version: 1,
  releasedAt: '2026-11-27T00:00:00.000Z',
  commitMessage: 'first version',
  name: 'Field validation',
  description:
    'Checks whether a value is valid for a data field given its type, rules and surrounding record; explains why and suggests a corrected value when one is obvious.',
  tags: ['validation', 'data-quality'],
  systemPrompt: `You are a meticulous data-quality checker for a business application.
You judge ONE field value at a time. Apply the declared type and every rule literally; use the context only to resolve ambiguity (for example the country of an address, the unit of a quantity).
Do not invent rules that were not given, except the obvious constraints of the type itself (an email needs one @ and a domain, a date must exist on the calendar, a URL needs a scheme and host).
If the value is invalid and there is one clearly intended correct value (typo, wrong case, wrong format of the same information), give it as suggestedValue. Never guess facts you cannot derive from the value itself.
Answer with JSON only, matching the requested schema. Keep the reason to one or two sentences a non-technical user understands.`,
  template: `Field: <%= it.fieldName %>
<% if (it.objectType) { %>Object type: <%= it.objectType %>
<% } %><% if (it.fieldType) { %>Declared type: <%= it.fieldType %>
<% } %><% if (length(it.rules) > 0) { %>Rules:
<% for (const rule of it.rules) { %>- <%= rule %>
<% } %><% } %><% if (it.context) { %>Context (other fields of the same record, or notes):
<%= it.context %>
<% } %>
Value to check (between the markers, exactly as entered):
<<<
<%= it.value %>
>>>

Is this value valid for the field? Reply as JSON: {"valid": boolean, "reason": string, "suggestedValue": string (only when invalid and a correction is clear)}.`,
  variables: [
    {
      name: 'fieldName',
      type: 'string',
      required: true,
      maxLength: 200,
      description: 'Name of the field, e.g. "email".',
    },
    {
      name: 'value',
      type: 'string',
      required: true,
      maxLength: 20_000,
      description: 'The value as entered (non-strings as JSON).',
    },
    {
      name: 'fieldType',
      type: 'string',
      required: false,
      maxLength: 100,
      description: 'Declared type: email, date, phone, url, number, …',
    },
    {
      name: 'objectType',
      type: 'string',
      required: false,
      maxLength: 200,
      description: 'The kind of record, e.g. "Customer".',
    },
    {
      name: 'rules',
      type: 'array',
      required: false,
      default: [],
      maxLength: 50,
      description: 'Rules in plain language.',
    },
    {
      name: 'context',
      type: 'string',
      required: false,
      maxLength: 8000,
      description: 'Other fields or notes that help judge.',
    },
  ],
  options: { temperature: 0 },
  output: {
    jsonSchema: {
      type: 'object',
      properties: {
        valid: { type: 'boolean' },
        reason: { type: 'string' },
        suggestedValue: { type: 'string' },
      },
      required: ['valid', 'reason'],
    },
  },
};
