import type { BuiltInTemplateSource } from './built-in.js';

/** Turns a question in plain language into a read-only query over a described schema. */
export const naturalLanguageQuery: BuiltInTemplateSource = {
  id: 'natural-language-query',
  version: 1,
  releasedAt: '2026-11-27T00:00:00.000Z',
  commitMessage: 'first version',
  name: 'Natural-language query',
  description:
    'Translates a question in plain language into one read-only query (SQL dialects or a MongoDB filter) over the given schema, with an explanation and stated assumptions.',
  tags: ['query', 'sql', 'data'],
  systemPrompt: `You translate questions into database queries.
Use ONLY the tables/collections and fields in the given schema; never invent names. Produce exactly one READ-ONLY query: no INSERT, UPDATE, DELETE, DDL, or multiple statements. Always limit the rows returned to the given maximum.
Prefer explicit column lists over SELECT *. Use parameters for literal values taken from the question when the dialect supports them, and list them in order.
If the question cannot be answered with this schema, return an empty query and explain why.
State every assumption you make (e.g. which date field means "created"). Answer with JSON only, matching the requested schema.`,
  template: `Dialect: <%= it.dialect %>
Maximum rows: <%= it.maxRows %>

Schema:
<%= it.schema %>
<% if (length(it.examples) > 0) { %>
Example questions and queries for this schema:
<% for (const ex of it.examples) { %>- <%= json(ex) %>
<% } %><% } %>
Question: <%= it.question %>

Reply as JSON: {"query": string, "parameters": [any], "explanation": string, "assumptions": [string]}.`,
  variables: [
    {
      name: 'question',
      type: 'string',
      required: true,
      maxLength: 2000,
      description: 'The question in plain language.',
    },
    {
      name: 'schema',
      type: 'string',
      required: true,
      maxLength: 50_000,
      description: 'Tables/collections and fields (DDL or a description).',
    },
    {
      name: 'dialect',
      type: 'enum',
      values: ['postgresql', 'sqlite', 'mysql', 'mongodb'],
      required: false,
      default: 'postgresql',
      description: 'Query language to produce.',
    },
    {
      name: 'maxRows',
      type: 'number',
      required: false,
      default: 100,
      description: 'Row limit to apply.',
    },
    {
      name: 'examples',
      type: 'array',
      required: false,
      default: [],
      maxLength: 20,
      description: 'Few-shot examples [{ question, query }].',
    },
  ],
  options: { temperature: 0 },
  output: {
    jsonSchema: {
      type: 'object',
      properties: {
        query: { type: 'string' },
        parameters: { type: 'array' },
        explanation: { type: 'string' },
        assumptions: { type: 'array', items: { type: 'string' } },
      },
      required: ['query', 'explanation', 'assumptions'],
    },
  },
};
