import type { ServerResponse } from 'node:http';
import { type GatewayError, toGatewayError } from '@intellicore/llm-core';
import { publicMessage } from '../../errors.js';
import { sendJson, setRetryAfter } from '../../http/respond.js';

/** OpenAI's error object: `{error: {message, type, param, code}}`; `code` is the gateway code. */
export function openAiError(error: GatewayError) {
  return {
    error: {
      message: publicMessage(error),
      type: typeOf(error.httpStatus),
      param: error.fieldErrors?.[0]?.path || null,
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
