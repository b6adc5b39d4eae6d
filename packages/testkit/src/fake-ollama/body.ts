import type { IncomingMessage } from 'node:http';

/** The whole request body as text; rejects if the client goes away before it is complete. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let done = false;
    req.on('data', (c: Buffer) => chunks.push(c));
    req.once('end', () => {
      done = true;
      resolve(
        chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'),
      );
    });
    req.once('error', reject);
    req.once('close', () => {
      if (!done) reject(new Error('request body aborted'));
    });
  });
}

export type ParsedBody =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; raw: unknown; message: string };

/**
 * Parses a JSON object body the way Ollama's Go handlers fail: empty → `missing request body`,
 * bad JSON → the Go decoder's message, not an object → `json: cannot unmarshal …`.
 */
export function parseJsonBody(text: string): ParsedBody {
  if (text.trim() === '') return { ok: false, raw: undefined, message: 'missing request body' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, raw: text, message: goSyntaxError(text) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
    if (value === null) return { ok: true, body: {} };
    return {
      ok: false,
      raw: value,
      message: `json: cannot unmarshal ${kind} into Go value of type api.Request`,
    };
  }
  return { ok: true, body: value as Record<string, unknown> };
}

function goSyntaxError(text: string): string {
  const first = text.trimStart()[0] ?? '';
  if (!'{["-0123456789tfn'.includes(first))
    return `invalid character '${first}' looking for beginning of value`;
  return 'unexpected EOF';
}
