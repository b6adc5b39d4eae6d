/**
 * How an UpstreamCall reaches the upstream: undici's `request` on a shared keep-alive pool (the
 * default: a Node stream body, no WHATWG Request/Response/streams per call), or a custom fetch.
 * Both hand back the same Head: status, headers and a ChunkSource over the body.
 */
import type { EventEmitter } from 'node:events';
import type { Agent } from 'undici';
import { type ChunkSource, nodeChunkSource, webChunkSource } from './chunk-source.js';

/**
 * Keep-alive pool shared by every Ollama upstream (one pool per origin inside). undici is loaded
 * on the first call, not at start-up: it weighs ~20 MB of an idle gateway's memory.
 */
let pool: Agent | undefined;
let loadingPool: Promise<Agent> | undefined;
async function sharedPool(): Promise<Agent> {
  loadingPool ??= import('undici').then(({ Agent }) => {
    // undici's defaults, as global fetch had them (4 s idle sockets, server hints honoured).
    pool = new Agent();
    return pool;
  });
  return loadingPool;
}

/** The loading of undici while it is not loaded yet (no extra tick per call once it is). */
export function transportLoading(): Promise<Agent> | undefined {
  return pool ? undefined : sharedPool();
}

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

/** Sends through the shared pool; `aborter` emitting `abort` cancels the request. */
export async function sendUndici(
  input: string | URL | Request,
  init: RequestInit | undefined,
  aborter: EventEmitter,
): Promise<Head> {
  const { origin, path } = splitUrl(String(input));
  const agent = pool ?? (await sharedPool());
  const response = await agent.request({
    origin,
    path,
    method: (init?.method ?? 'GET') as 'GET',
    headers: init?.headers as Record<string, string> | undefined,
    body: (init?.body ?? null) as string | null,
    signal: aborter,
  });
  const headers = response.headers;
  return {
    status: response.statusCode,
    statusText: '',
    header: (name) => {
      const value = headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    source: nodeChunkSource(response.body),
  };
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

/** `http://h:1/x?y` → origin `http://h:1`, path `/x?y` (cheaper than a URL per request). */
function splitUrl(url: string): { origin: string; path: string } {
  const slash = url.indexOf('/', url.indexOf('//') + 2);
  if (slash < 0) return { origin: url, path: '/' };
  return { origin: url.slice(0, slash), path: url.slice(slash) };
}
