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
 * Plain `data`/`end` listeners rather than `for await` over the request: the stream's async
 * iterator costs a promise per chunk and its own end-of-stream machinery, measurable per request
 * when the whole body is one small chunk.
 */
export function readBodyText(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) {
    req.resume(); // drain, so the 413 can be written on a keep-alive connection
    return Promise.reject(new PayloadTooLargeError(limit));
  }
  if (req.readableEnded) return Promise.resolve('');
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      stop();
      req.resume(); // drain the rest (no data listener: it is discarded)
      reject(new PayloadTooLargeError(limit));
    };
    const onEnd = () => {
      stop();
      try {
        resolve(decodeUtf8(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
      } catch (error) {
        reject(error);
      }
    };
    const onGone = (cause?: unknown) => {
      stop();
      reject(
        new GatewayError('CANCELLED', 'The client closed the request while sending it', {
          ...(cause === undefined ? {} : { cause }),
        }),
      );
    };
    const onClose = () => {
      if (!req.complete) onGone();
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onGone);
    req.once('close', onClose);
  });
}

function decodeUtf8(buffer: Buffer): string {
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
