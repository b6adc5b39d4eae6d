import type { IncomingMessage } from 'node:http';
import { badRequest, GatewayError } from '@intellicore/llm-core';

/** Thrown when a body is larger than MAX_BODY_BYTES: PAYLOAD_TOO_LARGE (413) on every door. */
export class PayloadTooLargeError extends GatewayError {
  constructor(limit: number) {
    super('PAYLOAD_TOO_LARGE', `Request body is larger than ${limit} bytes`, {
      fieldErrors: [{ path: '', message: `body exceeds ${limit} bytes` }],
      details: { limitBytes: limit },
    });
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a request body as text with a size limit (checked from Content-Length up front, then
 * while reading) and strict UTF-8 (invalid bytes → 400 naming the problem, never U+FFFD).
 */
export async function readBodyText(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) {
    req.resume(); // drain, so the 413 can be written on a keep-alive connection
    throw new PayloadTooLargeError(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        req.resume();
        throw new PayloadTooLargeError(limit);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw new GatewayError('CANCELLED', 'The client closed the request while sending it', {
      cause: error,
    });
  }
  const buffer = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  try {
    return utf8.decode(buffer);
  } catch {
    throw badRequest(
      [{ path: '', message: 'body is not valid UTF-8' }],
      'Request body is not valid UTF-8',
    );
  }
}

/** Body as JSON (an empty body is a BAD_REQUEST naming it). */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const text = await readBodyText(req, limit);
  if (text.trim() === '') {
    throw badRequest([{ path: '', message: 'missing request body' }], 'missing request body');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message : 'invalid JSON';
    throw badRequest(
      [{ path: '', message: `invalid JSON: ${detail}` }],
      `Invalid JSON body: ${detail}`,
    );
  }
}
