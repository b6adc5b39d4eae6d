/**
 * The REST front's route table (`/api/v1`, the earlier FastAPI gateway's paths): each row maps
 * a method and path to the tRPC procedure that answers it, and says where that procedure's input
 * comes from. Bodies and answers are the procedures' own JSON; nothing else is defined here.
 */

export type RestMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RestRoute {
  method: RestMethod;
  /** OpenAPI path template; `{param}` segments become input fields of the same name. */
  path: string;
  /** The procedure that answers (a subscription answers with Server-Sent Events). */
  procedure: string;
  /** With `"stream": true` in the body, this subscription answers instead (SSE). */
  streamProcedure?: string;
  /** Where the fields besides path parameters come from: the query string, the JSON body, or
   * nowhere (the procedure takes no input). */
  input: 'none' | 'query' | 'body';
  /** Status of a successful JSON answer (default 200). */
  status?: number;
  /** The last path parameter takes the rest of the path (model names such as `hf.co/x/y:q4`). */
  greedy?: boolean;
  summary: string;
}

/** Order matters: fixed paths before templates that would also match them. */
export const REST_ROUTES: readonly RestRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/health',
    procedure: 'health.live',
    input: 'none',
    summary: 'Liveness',
  },
  {
    method: 'GET',
    path: '/api/v1/health/ready',
    procedure: 'health.ready',
    input: 'none',
    summary: 'Readiness (503 when no upstream is usable, the store is down or the gateway stops)',
  },
  {
    method: 'GET',
    path: '/api/v1/models',
    procedure: 'models.list',
    input: 'none',
    summary: 'Models of the healthy upstreams',
  },
  {
    method: 'GET',
    path: '/api/v1/models/allowed/list',
    procedure: 'models.allowed',
    input: 'none',
    summary: 'The allow-list and aliases',
  },
  {
    method: 'POST',
    path: '/api/v1/models/pull',
    procedure: 'models.pull',
    input: 'body',
    summary: 'Pull a model (admin; Server-Sent Events of progress)',
  },
  {
    method: 'GET',
    path: '/api/v1/models/{name}',
    procedure: 'models.get',
    input: 'none',
    greedy: true,
    summary: 'One model',
  },
  {
    method: 'DELETE',
    path: '/api/v1/models/{name}',
    procedure: 'models.delete',
    input: 'none',
    greedy: true,
    summary: 'Delete a model from its upstreams (admin)',
  },
  {
    method: 'POST',
    path: '/api/v1/chat/completions',
    procedure: 'chat.completion',
    streamProcedure: 'chat.stream',
    input: 'body',
    summary: 'Chat completion (Server-Sent Events with "stream": true)',
  },
  {
    method: 'POST',
    path: '/api/v1/chat/generate',
    procedure: 'chat.generate',
    streamProcedure: 'chat.generateStream',
    input: 'body',
    summary: 'Text generation from a prompt (Server-Sent Events with "stream": true)',
  },
  {
    method: 'POST',
    path: '/api/v1/chat/embeddings',
    procedure: 'chat.embed',
    input: 'body',
    summary: 'Embedding of one text',
  },
  {
    method: 'POST',
    path: '/api/v1/chat/embeddings/batch',
    procedure: 'chat.embedBatch',
    input: 'body',
    summary: 'Embeddings of several texts',
  },
  {
    method: 'POST',
    path: '/api/v1/chat/validate',
    procedure: 'chat.validateField',
    input: 'body',
    summary: 'Is a field value valid? (the field-validation template)',
  },
  {
    method: 'POST',
    path: '/api/v1/chat/suggest-fields',
    procedure: 'chat.suggestFields',
    input: 'body',
    summary: 'Fields an object type should have (the object-type-suggestion template)',
  },
  {
    method: 'GET',
    path: '/api/v1/templates',
    procedure: 'templates.list',
    input: 'query',
    summary: 'Templates, by tag or search',
  },
  {
    method: 'POST',
    path: '/api/v1/templates',
    procedure: 'templates.create',
    input: 'body',
    status: 201,
    summary: 'Create a template (admin)',
  },
  {
    method: 'GET',
    path: '/api/v1/templates/{id}',
    procedure: 'templates.get',
    input: 'query',
    summary: 'One template version (latest, or by version or label)',
  },
  {
    method: 'PUT',
    path: '/api/v1/templates/{id}',
    procedure: 'templates.update',
    input: 'body',
    summary: 'Write a new version of a template (admin)',
  },
  {
    method: 'DELETE',
    path: '/api/v1/templates/{id}',
    procedure: 'templates.delete',
    input: 'none',
    summary: 'Delete a template (admin)',
  },
  {
    method: 'GET',
    path: '/api/v1/templates/{id}/versions',
    procedure: 'templates.versions',
    input: 'none',
    summary: 'Versions of a template, with their labels',
  },
  {
    method: 'POST',
    path: '/api/v1/templates/{id}/render',
    procedure: 'templates.render',
    input: 'body',
    summary: 'Render a template without calling a model',
  },
  {
    method: 'POST',
    path: '/api/v1/templates/{id}/chat',
    procedure: 'templates.renderAndChat',
    streamProcedure: 'templates.renderAndChatStream',
    input: 'body',
    summary: 'Render a template and chat with it (Server-Sent Events with "stream": true)',
  },
  {
    method: 'GET',
    path: '/api/v1/requests',
    procedure: 'requests.list',
    input: 'query',
    summary: 'The request log, newest first, with filters and a cursor (admin)',
  },
  {
    method: 'GET',
    path: '/api/v1/requests/{id}',
    procedure: 'requests.get',
    input: 'none',
    summary: 'One request of the request log, with its timeline (admin)',
  },
  {
    method: 'GET',
    path: '/api/v1/usage/summary',
    procedure: 'usage.summary',
    input: 'query',
    summary: 'Usage totals per key, model, template or day (admin)',
  },
  {
    method: 'GET',
    path: '/api/v1/keys',
    procedure: 'keys.list',
    input: 'none',
    summary: 'Stored API keys with their usage this period (admin)',
  },
  {
    method: 'POST',
    path: '/api/v1/keys',
    procedure: 'keys.create',
    input: 'body',
    status: 201,
    summary: 'Create an API key; the secret is in this answer only (admin)',
  },
  {
    method: 'PATCH',
    path: '/api/v1/keys/{id}',
    procedure: 'keys.update',
    input: 'body',
    summary: 'Change a key’s name, scope, models, limits, budget or expiry (admin)',
  },
  {
    method: 'DELETE',
    path: '/api/v1/keys/{id}',
    procedure: 'keys.revoke',
    input: 'none',
    summary: 'Revoke a key: every replica refuses it within a second (admin)',
  },
];

/** Path parameter names of a template, in order. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
}
