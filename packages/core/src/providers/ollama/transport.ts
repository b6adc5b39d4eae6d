/**
 * How an UpstreamCall reaches the upstream: node:http on a shared keep-alive agent (the default:
 * a Node stream body, no WHATWG Request/Response/streams per call, and nothing loaded that the
 * process does not have already), or a custom fetch. Both hand back the same Head: status,
 * headers and a ChunkSource over the body.
 */
import type { EventEmitter } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import { type ChunkSource, nodeChunkSource, webChunkSource } from './chunk-source.js';

/**
 * Keep-alive agents shared by every Ollama upstream: sockets are reused across requests (most
 * recently used first, so idle ones age out), and nothing caps how many run at once (the pool's
 * concurrency gate does that, per upstream).
 */
const agents = {
  http: new http.Agent({ keepAlive: true, scheduling: 'lifo' }),
  https: new https.Agent({ keepAlive: true, scheduling: 'lifo' }),
};

/** The headers every request the gateway sends itself carries (as the ollama client's). */
export const JSON_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json',
  'user-agent': `intellicore-llm-gateway (${process.arch} ${process.platform} Node.js/${process.version})`,
};

/** What a transport hands back once the headers arrived. */
export interface Head {
  status: number;
  statusText: string;
  header(name: string): string | undefined;
  source: ChunkSource | undefined;
}

/** Sends through the shared agents; `aborter` emitting `abort` cancels the request. */
export function sendNodeHttp(
  input: string | URL | Request,
  init: RequestInit | undefined,
  aborter: EventEmitter,
): Promise<Head> {
  const url = String(input);
  const secure = url.startsWith('https:');
  const body = init?.body as string | undefined;
  const headers = { ...(init?.headers as Record<string, string> | undefined) };
  // A length, not chunked framing (which node:http does not use for DELETE's body at all).
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise<Head>((resolve, reject) => {
    const request = (secure ? https : http).request(url, {
      agent: secure ? agents.https : agents.http,
      method: init?.method ?? 'GET',
      headers,
    });
    const onAbort = () => request.destroy(abortError());
    aborter.once('abort', onAbort);
    request.once('response', (response) => {
      const headers = response.headers;
      resolve({
        status: response.statusCode ?? 0,
        statusText: response.statusMessage ?? '',
        header: (name) => {
          const value = headers[name];
          return Array.isArray(value) ? value.join(', ') : value;
        },
        source: nodeChunkSource(response),
      });
    });
    request.once('close', () => aborter.off('abort', onAbort));
    request.once('error', reject);
    request.end(body);
  });
}

function abortError(): Error {
  const error = new Error('This operation was aborted');
  error.name = 'AbortError';
  return error;
}

/** Sends through a custom fetch with the call's AbortSignal. */
export async function sendFetch(
  fetchFn: typeof fetch,
  input: string | URL | Request,
  init: RequestInit | undefined,
  signal: AbortSignal,
): Promise<Head> {
  const response = await fetchFn(input, { ...init, signal });
  return {
    status: response.status,
    statusText: response.statusText,
    header: (name) => response.headers.get(name) ?? undefined,
    source: response.body ? webChunkSource(response.body) : undefined,
  };
}
