import type { ServerResponse } from 'node:http';

/** Small response writers for the plain-HTTP fronts (one JSON.stringify, no extra copies). */

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendJsonText(res, status, JSON.stringify(body));
}

/** A body that is already JSON text (e.g. built around reused upstream vector text). */
export function sendJsonText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  type = 'text/plain',
): void {
  res.writeHead(status, {
    'content-type': `${type}; charset=utf-8`,
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Adds Retry-After for errors that carry one (RATE_LIMITED, OVERLOADED). */
export function setRetryAfter(res: ServerResponse, seconds: number | undefined): void {
  if (seconds !== undefined && !res.headersSent) {
    res.setHeader('retry-after', String(Math.max(1, Math.ceil(seconds))));
  }
}
