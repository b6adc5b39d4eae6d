import type { IncomingMessage, ServerResponse } from 'node:http';
import { GATEWAY_ERROR_CODES, type GatewayErrorCode } from '@intellicore/llm-core';
import { z } from 'zod';
import {
  chatStreamEventSchema,
  generateStreamEventSchema,
  pullProgressSchema,
  renderAndChatStreamEventSchema,
} from '../schemas/index.js';
import { adminProcedure, authedProcedure } from '../trpc.js';

/**
 * The API reference (`GET /docs.json`, and the playground's reference page), generated from the
 * router definition: every procedure's type, its input/output zod schemas as JSON Schema, its
 * auth scope (read from the middlewares it was built with) and the error codes it can answer.
 */

export type ProcedureScope = 'public' | 'user' | 'admin';

export interface ProcedureDoc {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  scope: ProcedureScope;
  /** What the procedure does (its `.meta({ description })`, else PROCEDURE_DESCRIPTIONS). */
  description: string;
  /** JSON Schema of the input (as sent), null when the procedure takes none. */
  input: unknown;
  /** JSON Schema of the output; for subscriptions, of one event. Null when not declared. */
  output: unknown;
  errors: GatewayErrorCode[];
}

export interface ApiReference {
  title: string;
  version: string;
  transport: Record<string, string>;
  errorCodes: readonly GatewayErrorCode[];
  procedures: ProcedureDoc[];
}

/** What tRPC keeps at runtime on a built procedure (its `_def`), as far as the docs read it. */
interface ProcedureDef {
  type: ProcedureDoc['type'];
  inputs: unknown[];
  output?: unknown;
  middlewares: unknown[];
  meta?: { description?: unknown; output?: unknown };
}

interface RouterLike {
  _def: { procedures: Record<string, unknown> };
}

/**
 * Subscriptions declare no `.output()` (tRPC does not validate yielded values), so the event
 * schema of each comes from the schemas folder here. The docs test fails when a subscription
 * has none.
 */
export const SUBSCRIPTION_EVENTS: Record<string, z.ZodType> = {
  'chat.stream': chatStreamEventSchema,
  'chat.generateStream': generateStreamEventSchema,
  'templates.renderAndChatStream': renderAndChatStreamEventSchema,
  'models.pull': pullProgressSchema,
};

/**
 * One sentence per procedure: what it does and what a caller should know first. Field-level
 * texts come from the schemas' `.describe()`; a procedure built with `.meta({ description })`
 * overrides its entry here. The docs test fails when a procedure has no description.
 */
export const PROCEDURE_DESCRIPTIONS: Record<string, string> = {
  'health.live': 'Liveness: the process answers. Never touches upstreams; no key needed.',
  'health.ready':
    'Readiness: an upstream is usable, the store is up and the gateway is not shutting down, with per-upstream health.',
  'models.list':
    'The catalogue: allowed models on the healthy upstreams, with which upstreams have each and where it is loaded now.',
  'models.get':
    "One model's details from Ollama's show: family, parameters, template, capabilities (`completion`, `embedding`, `tools`, `thinking`, …).",
  'models.running': 'Models loaded in memory now, per upstream, with when they will be unloaded.',
  'models.allowed':
    'The allow-list, the aliases and the default chat and embedding models (configuration only).',
  'models.pull':
    "Downloads a model onto the upstreams (admin), streaming Ollama's progress; concurrent pulls of one model share one download.",
  'models.delete': 'Deletes a model from every upstream that has it (admin).',
  'chat.completion': 'A chat answer in one piece, with token usage and timings.',
  'chat.stream':
    'A chat answer as it is generated: `delta` events, then one `done` event with the whole message, usage and timings. A reconnect is never re-run (STREAM_INTERRUPTED).',
  'chat.generate': "A completion of a prompt (Ollama's generate) in one piece.",
  'chat.generateStream':
    'A completion of a prompt as it is generated: `delta` events, then `done` with usage and timings.',
  'chat.embed': 'The embedding vector of one text.',
  'chat.embedBatch': 'Embedding vectors of many texts in one call, in input order.',
  'chat.validateField':
    'Asks a model whether a field value is valid for its type, rules and context (the `field-validation` built-in template).',
  'chat.suggestFields':
    'Asks a model which fields an object type should have (the `object-type-suggestion` built-in template).',
  'templates.list':
    'Templates (built-ins and stored) by id, with search, tag filter and cursor paging.',
  'templates.get': 'One template version: the latest, a version number or a label.',
  'templates.versions': "A template's version history with commit messages and labels.",
  'templates.create':
    'Creates a template (admin). The template text is checked before it is stored (TEMPLATE_INVALID names line and column).',
  'templates.update':
    'Saves a new immutable version (admin); `baseVersion` makes a concurrent edit fail with CONFLICT instead of being overwritten.',
  'templates.delete': 'Deletes a template and its versions (admin; built-ins cannot be deleted).',
  'templates.setLabel': 'Points a label (e.g. `production`) at a version (admin).',
  'templates.render': 'Renders a template with variables, without calling a model.',
  'templates.renderAndChat':
    "Renders a template and sends it to a model; structured templates return `data` checked against the template's output schema.",
  'templates.renderAndChatStream':
    'Renders a template and streams the answer: `delta` events, then `done` with content, parsed data, usage and timings.',
  'usage.summary':
    'Totals of requests and tokens per API key, model, template or day between two instants (admin).',
  'requests.list':
    'The request log, newest first (admin): door, key name, model, upstream, status and code, tokens, TTFT, timeline; filters and a cursor.',
  'requests.get':
    'One request of the request log with its timeline, and its prompt and answer when LOG_PROMPTS kept them (admin).',
};

function descriptionOf(path: string, def: ProcedureDef): string {
  const own = def.meta?.description;
  return typeof own === 'string' && own ? own : (PROCEDURE_DESCRIPTIONS[path] ?? '');
}

/** The auth middlewares, by identity: a procedure built on authed/admin carries them. */
const AUTH_MIDDLEWARE = authedProcedure._def.middlewares.at(-1);
const ADMIN_MIDDLEWARE = adminProcedure._def.middlewares.at(-1);

function scopeOf(def: ProcedureDef): ProcedureScope {
  if (def.middlewares.includes(ADMIN_MIDDLEWARE)) return 'admin';
  if (def.middlewares.includes(AUTH_MIDDLEWARE)) return 'user';
  return 'public';
}

function jsonSchema(schema: unknown, io: 'input' | 'output'): unknown {
  if (!(schema instanceof z.ZodType)) return null;
  try {
    return z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
  } catch {
    return { description: 'not representable as JSON Schema' };
  }
}

/** Top-level input fields, to tell which domain errors a procedure can raise. */
function inputFields(schema: unknown): Set<string> {
  let s = schema as { unwrap?: () => unknown; shape?: Record<string, unknown> } | undefined;
  while (s && !s.shape && typeof s.unwrap === 'function') s = s.unwrap() as typeof s;
  return new Set(Object.keys(s?.shape ?? {}));
}

/** Everything that calls a model: allow-list, limits, queueing, upstream failures. */
const INFERENCE: GatewayErrorCode[] = [
  'MODEL_NOT_ALLOWED',
  'MODEL_NOT_FOUND',
  'RATE_LIMITED',
  'OVERLOADED',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_ERROR',
  'CANCELLED',
];

/**
 * The codes a procedure can answer, from what it is: its scope (auth), whether it takes input,
 * its area (router) and name (chat → a model call; render → template checks), its input fields
 * (an `id` of a template, a model `name`) and whether it streams with reconnect ids.
 */
function errorsOf(path: string, def: ProcedureDef, scope: ProcedureScope): GatewayErrorCode[] {
  const codes = new Set<GatewayErrorCode>(['INTERNAL']);
  const add = (...list: GatewayErrorCode[]) => {
    for (const c of list) codes.add(c);
  };
  const fields = inputFields(def.inputs[0]);
  const [area = '', name = ''] = path.split('.');
  if (def.inputs.length > 0) add('BAD_REQUEST');
  if (scope !== 'public') add('UNAUTHORIZED');
  if (scope === 'admin') add('FORBIDDEN');
  if (area === 'chat' || /chat/i.test(name)) add(...INFERENCE);
  // `models.allowed` reads configuration only; every other models.* asks the upstreams.
  if (area === 'models' && name !== 'allowed') {
    add('UPSTREAM_UNAVAILABLE');
    if (fields.has('name')) add('MODEL_NOT_ALLOWED', 'MODEL_NOT_FOUND', 'UPSTREAM_ERROR');
  }
  if (area === 'templates') {
    if (fields.has('id') && name !== 'create') add('TEMPLATE_NOT_FOUND');
    if (fields.has('templateId')) add('TEMPLATE_NOT_FOUND');
    if (fields.has('template')) add('TEMPLATE_INVALID');
    if (name.startsWith('render'))
      add('TEMPLATE_NOT_FOUND', 'TEMPLATE_INVALID', 'MISSING_VARIABLES');
  }
  if (area === 'requests' && name === 'get') add('NOT_FOUND');
  // A duplicate active name, or a change that would leave no admin key (see key-service.ts).
  if (area === 'keys' && name !== 'list') add('CONFLICT');
  if (area === 'keys' && (name === 'update' || name === 'revoke')) add('NOT_FOUND');
  if (fields.has('lastEventId')) add('STREAM_INTERRUPTED');
  if (def.type === 'subscription') add('CANCELLED');
  return GATEWAY_ERROR_CODES.filter((c) => codes.has(c));
}

export function buildApiReference(router: RouterLike, version: string): ApiReference {
  const procedures = Object.entries(router._def.procedures)
    .map(([path, procedure]): ProcedureDoc => {
      const def = (procedure as { _def: ProcedureDef })._def;
      const scope = scopeOf(def);
      const output =
        def.type === 'subscription'
          ? jsonSchema(SUBSCRIPTION_EVENTS[path], 'output')
          : jsonSchema(def.output ?? def.meta?.output, 'output');
      return {
        path,
        type: def.type,
        scope,
        description: descriptionOf(path, def),
        input: def.inputs.length > 0 ? jsonSchema(def.inputs[0], 'input') : null,
        output,
        errors: errorsOf(path, def, scope),
      };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
  return {
    title: 'intelliCore LLM Gateway tRPC API',
    version,
    transport: {
      endpoint: '/trpc',
      queriesAndMutations:
        'plain JSON, no transformer: queries as batched GETs (httpBatchLink), mutations as one POST each (httpLink)',
      subscriptions:
        "POST with the input as the JSON body, answered with Server-Sent Events (the SDK's eventStreamLink); tRPC's GET SSE link (httpSubscriptionLink) works too",
      auth: 'Authorization: Bearer <API key> (HTTP and SSE)',
      errors: 'error.data.gatewayCode carries the stable code; fieldErrors for BAD_REQUEST',
    },
    errorCodes: GATEWAY_ERROR_CODES,
    procedures,
  };
}

/**
 * `GET /docs.json` (public: it describes the API, it grants nothing). Built once, on first use.
 * Returns false for any other request.
 */
export function createDocsHandler(
  router: RouterLike,
  version: string,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  let body: string | undefined;
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/docs.json' || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    body ??= JSON.stringify(buildApiReference(router, version), null, 2);
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
