/**
 * The answers an UpstreamCall gives the official client: the part of a fetch Response it uses
 * (ok, status, headers.get, body.getReader, json, text), non-2xx bodies normalised to
 * `{"error": …}` JSON so the client never logs to the console, and the error the client throws
 * for a non-2xx answer (for the direct paths, so map-error types both alike).
 */

import type { CallOutcome } from './call-outcome.js';
import type { WrappedBody } from './response-body.js';
import type { Head } from './transport.js';

/** The part of a fetch Response the ollama client uses. */
export function liteResponse(head: Head, ok: boolean, body: WrappedBody | undefined): Response {
  const text = body ? body.text : async () => '';
  return {
    ok,
    status: head.status,
    statusText: head.statusText,
    headers: { get: (name: string) => head.header(name.toLowerCase()) ?? null },
    body: body?.body ?? null,
    text,
    json: async () => JSON.parse(await text()),
  } as unknown as Response;
}

/** The upstream's error message of a non-2xx answer (its `{"error"}` JSON, or its text). */
export function errorMessage(head: Head, text: string, outcome: CallOutcome): string {
  const retryAfter = Number(head.header('retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter > 0) outcome.retryAfterSeconds = retryAfter;
  let message = text.trim();
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') {
      message = parsed.error;
      outcome.errorBody = true;
    }
  } catch {
    // not JSON: keep the text
  }
  return message || `HTTP ${head.status} ${head.statusText}`.trim();
}

/** A non-2xx answer normalised to `{"error": …}` JSON, so the client never logs to the console. */
export function errorResponse(head: Head, message: string): Response {
  const errorText = JSON.stringify({ error: message });
  return {
    ok: false,
    status: head.status,
    statusText: head.statusText,
    headers: {
      get: (name: string) => (name.toLowerCase() === 'content-type' ? 'application/json' : null),
    },
    body: null,
    text: async () => errorText,
    json: async () => JSON.parse(errorText),
  } as unknown as Response;
}

/** What the ollama client throws for a non-2xx answer (map-error types it by status). */
export function responseError(message: string, status: number): Error {
  return Object.assign(new Error(message), {
    name: 'ResponseError',
    error: message,
    status_code: status,
  });
}
