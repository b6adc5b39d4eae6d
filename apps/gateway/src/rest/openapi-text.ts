import { GATEWAY_ERROR_CODES } from '@intellicore/llm-core';

/** The prose of the OpenAPI document (what generators and the docs pages show). */
export const OPENAPI_INFO = {
  title: 'intelliCore LLM Gateway REST API',
  summary: 'The /api/v1 paths of the earlier FastAPI gateway, on the same core as the tRPC API.',
  description: [
    "Every operation calls the tRPC procedure it names, so bodies and answers are that procedure's JSON (camelCase), with the same validation, limits, cache, usage records and metrics.",
    '',
    '**Auth**: `Authorization: Bearer <API key>` when the gateway has keys (API_KEYS / ADMIN_API_KEYS); model pulls and deletes, template writes and usage need an admin key.',
    '',
    '**Errors**: `{"error": {"code", "message", "details"?, "fieldErrors"?}}` with the status of the code; `RATE_LIMITED`, `BUDGET_EXCEEDED` and `OVERLOADED` carry `Retry-After`.',
    '',
    '**Streams** (`"stream": true`, model pulls): `text/event-stream`, one `data: <event JSON>` per event; generations end with a `done` event carrying the whole answer, usage and timings. A failure after the first event ends the stream with `event: error` and the error body. A dropped stream is never re-run.',
    '',
    'Built-in templates take their variables in camelCase or in snake_case (`field_name`).',
  ].join('\n'),
  license: { name: 'MIT', identifier: 'MIT' },
};

export const TAGS = [
  { name: 'health', description: 'Liveness and readiness' },
  { name: 'models', description: 'The model catalogue over every upstream' },
  { name: 'chat', description: 'Chat, generation, embeddings and the field tools' },
  { name: 'templates', description: 'Versioned prompt templates' },
  { name: 'usage', description: 'Usage totals (admin)' },
];

export const ERROR_BODY_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: [...GATEWAY_ERROR_CODES], description: 'Stable error code' },
        message: { type: 'string' },
        details: {
          type: 'object',
          additionalProperties: true,
          description:
            'Extra facts, e.g. `missing` variables, `partialText` of an interrupted stream',
        },
        fieldErrors: {
          type: 'array',
          items: {
            type: 'object',
            required: ['path', 'message'],
            properties: {
              path: { type: 'string', description: 'Dotted field path, e.g. `messages.0.content`' },
              message: { type: 'string' },
            },
          },
        },
      },
    },
  },
};
