import type { Attributes } from '@opentelemetry/api';
import type { RequestRecord } from './request-record.js';

/** GenAI semantic-convention operation names of core's operations. */
const OPERATION_NAMES = { chat: 'chat', generate: 'text_completion', embed: 'embeddings' };

/** `{operation} {model}` for model calls (GenAI conventions), `METHOD route` otherwise. */
export function spanName(record: RequestRecord): string {
  if (record.operation === undefined) return `${record.method} ${record.route}`;
  const model = record.requestedModel ?? record.model;
  const name = OPERATION_NAMES[record.operation];
  return model === undefined ? name : `${name} ${model}`;
}

/**
 * The server span's attributes: the GenAI semantic conventions, then the gateway's own. Never
 * a key's secret (only its name or id), never a prompt (events, and only with LOG_PROMPTS).
 */
export function spanAttributes(record: RequestRecord, status: number): Attributes {
  const a: Attributes = {
    'http.route': record.route,
    'http.response.status_code': status,
    'gateway.request.id': record.id,
    'gateway.door': doorOf(record.route),
  };
  if (record.operation !== undefined) {
    a['gen_ai.operation.name'] = OPERATION_NAMES[record.operation];
  }
  if (record.upstream !== undefined) {
    a['gen_ai.provider.name'] = record.upstream === 'embedded' ? 'llama.cpp' : 'ollama';
    a['gateway.upstream'] = record.upstream;
  }
  if (record.requestedModel !== undefined) a['gen_ai.request.model'] = record.requestedModel;
  if (record.model !== undefined) a['gen_ai.response.model'] = record.model;
  if (record.temperature !== undefined) a['gen_ai.request.temperature'] = record.temperature;
  if (record.maxTokens !== undefined) a['gen_ai.request.max_tokens'] = record.maxTokens;
  if (record.promptTokens !== undefined) a['gen_ai.usage.input_tokens'] = record.promptTokens;
  if (record.completionTokens !== undefined) {
    a['gen_ai.usage.output_tokens'] = record.completionTokens;
  }
  if (record.code !== undefined) a['error.type'] = record.code;
  else if (status >= 500) a['error.type'] = String(status);
  if (record.keyName !== undefined) a['gateway.key.name'] = record.keyName;
  else if (record.keyId) a['gateway.key.name'] = record.keyId;
  if (record.cached !== undefined) a['gateway.cache.hit'] = record.cached;
  if (record.template !== undefined) a['gateway.template'] = record.template;
  if (record.ttftMs !== undefined) a['gateway.ttft_ms'] = record.ttftMs;
  if (record.stream) a['gateway.stream'] = true;
  return a;
}

/** The door of a route (`trpc:…`, `rest:…`, `/v1/messages`, `/v1/…`, `/api/…`). */
export function doorOf(
  route: string,
): 'trpc' | 'rest' | 'openai' | 'anthropic' | 'ollama' | 'http' {
  if (route.startsWith('trpc')) return 'trpc';
  if (route.startsWith('rest:')) return 'rest';
  if (route.startsWith('/v1/messages')) return 'anthropic';
  if (route.startsWith('/v1/')) return 'openai';
  if (route.startsWith('/api/')) return 'ollama';
  return 'http';
}
