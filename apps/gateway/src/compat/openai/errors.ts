import type { ServerResponse } from 'node:http';
import { type GatewayError, toGatewayError } from '@intellicore/llm-core';
import { publicMessage } from '../../errors.js';
import { sendJson, setRetryAfter } from '../../http/respond.js';

/** Core's names of the options this door takes under OpenAI's names (see translate.ts). */
const OPENAI_PARAM: Record<string, string> = {
  'options.num_predict': 'max_tokens',
  'options.temperature': 'temperature',
  'options.top_p': 'top_p',
  'options.seed': 'seed',
  'options.stop': 'stop',
  'options.presence_penalty': 'presence_penalty',
  'options.frequency_penalty': 'frequency_penalty',
  format: 'response_format',
};

/** OpenAI's error object: `{error: {message, type, param, code}}`; `code` is the gateway code.
 * A field core names (`options.num_predict`) is named as the caller sent it (`max_tokens`). */
export function openAiError(error: GatewayError) {
  const path = error.fieldErrors?.[0]?.path;
  let message = publicMessage(error);
  for (const field of error.fieldErrors ?? []) {
    const param = OPENAI_PARAM[field.path];
    if (param) message = message.replaceAll(`${field.path}:`, `${param}:`);
  }
  return {
    error: {
      message,
      type: typeOf(error.httpStatus),
      param: (path && (OPENAI_PARAM[path] ?? path)) || null,
      code: error.code,
    },
  };
}

function typeOf(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status < 500) return 'invalid_request_error';
  return 'api_error';
}

export function sendOpenAiError(res: ServerResponse, thrown: unknown): GatewayError {
  const error = toGatewayError(thrown);
  setRetryAfter(res, error.retryAfterSeconds);
  sendJson(res, error.httpStatus, openAiError(error));
  return error;
}
