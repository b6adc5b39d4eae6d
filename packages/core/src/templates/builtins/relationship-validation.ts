import type { BuiltInTemplateSource } from './built-in.js';

/** Judges whether a relationship between two object types (or two records) makes sense. */
export const relationshipValidation: BuiltInTemplateSource = {
  id: 'relationship-validation',
  version: 1,
  releasedAt: '2026-11-27T00:00:00.000Z',
  commitMessage: 'first version',
  name: 'Relationship validation',
  description:
    'Checks whether a relationship (e.g. "Customer has many Orders") is plausible and correctly directed and typed; suggests a better one when it is not.',
  tags: ['validation', 'schema', 'modeling'],
  systemPrompt: `You review relationships in a business data model.
A relationship has a source type, a target type and a kind: one-to-one, one-to-many, many-to-one, many-to-many, or a verb phrase such as "has many", "belongs to", "references".
Judge three things: (1) does a relationship between these two types make sense in the given domain, (2) is the direction right, (3) is the cardinality right. When example records are given, also check that they are consistent with the relationship.
Be concrete: name the problem, not general advice. When it is wrong but a fix is clear, give the corrected relationship as a short phrase in suggestedRelationship (e.g. "Order belongs to Customer (many-to-one)").
confidence is your confidence in the verdict, from 0 to 1. Answer with JSON only, matching the requested schema.`,
  template: `Source type: <%= it.sourceType %>
Relationship: <%= it.relationshipType %>
Target type: <%= it.targetType %>
<% if (it.domain) { %>Domain: <%= it.domain %>
<% } %><% if (it.sourceExample) { %>Example source record: <%= json(it.sourceExample) %>
<% } %><% if (it.targetExample) { %>Example target record: <%= json(it.targetExample) %>
<% } %><% if (it.context) { %>Notes: <%= it.context %>
<% } %>
Is this relationship valid? Reply as JSON: {"valid": boolean, "reason": string, "confidence": number, "suggestedRelationship": string (only when invalid)}.`,
  variables: [
    {
      name: 'sourceType',
      type: 'string',
      required: true,
      maxLength: 200,
      description: 'Type the relationship starts from.',
    },
    {
      name: 'targetType',
      type: 'string',
      required: true,
      maxLength: 200,
      description: 'Type it points to.',
    },
    {
      name: 'relationshipType',
      type: 'string',
      required: true,
      maxLength: 200,
      description: 'Kind, e.g. "one-to-many" or "has many".',
    },
    {
      name: 'domain',
      type: 'string',
      required: false,
      maxLength: 200,
      description: 'Business domain.',
    },
    {
      name: 'sourceExample',
      type: 'object',
      required: false,
      description: 'An example source record.',
    },
    {
      name: 'targetExample',
      type: 'object',
      required: false,
      description: 'An example target record.',
    },
    {
      name: 'context',
      type: 'string',
      required: false,
      maxLength: 4000,
      description: 'Anything else that matters.',
    },
  ],
  options: { temperature: 0 },
  output: {
    jsonSchema: {
      type: 'object',
      properties: {
        valid: { type: 'boolean' },
        reason: { type: 'string' },
        confidence: { type: 'number', minimum: 0, maximum: 1 },
        suggestedRelationship: { type: 'string' },
      },
      required: ['valid', 'reason', 'confidence'],
    },
  },
};
