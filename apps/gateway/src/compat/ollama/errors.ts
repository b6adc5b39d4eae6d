import type { ServerResponse } from 'node:http';
import { type GatewayError, toGatewayError } from '@intellicore/llm-core';
import { publicMessage } from '../../errors.js';
import { sendJson, setRetryAfter } from '../../http/respond.js';

/** Ollama's error body: `{"error": "<message>"}` (plus the gateway code, which clients ignore).
 * Core's `keepAlive` is named as this door takes it (`keep_alive`). */
export function ollamaError(error: GatewayError) {
  return { error: publicMessage(error).replaceAll('keepAlive:', 'keep_alive:'), code: error.code };
}

export function sendOllamaError(res: ServerResponse, thrown: unknown): GatewayError {
  const error = toGatewayError(thrown);
  setRetryAfter(res, error.retryAfterSeconds);
  sendJson(res, error.httpStatus, ollamaError(error));
  return error;
}
