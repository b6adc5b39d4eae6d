/**
 * One HTTP call to an Ollama upstream, as the `fetch` the official client uses. It merges the
 * caller's AbortSignal and the client's own with a timeout, and records *why* a call ended so
 * errors can be typed without parsing messages:
 * - the timeout covers waiting for headers and every silence between body chunks (not the whole
 *   generation, so long streams are never cut while tokens keep flowing); one timer per call,
 *   refreshed, not one per read;
 * - streamed (NDJSON) bodies are re-framed line by line: a malformed line or an `{"error"}` line
 *   is recorded, and lines before it are still delivered;
 * - non-2xx bodies are normalised to `{"error": …}` JSON so the client never logs to the console.
 *
 * By default the request goes out through undici's `request` on a shared keep-alive pool and the
 * answer is a minimal Response (ok, status, headers.get, body.getReader, json, text): no WHATWG
 * Request/Response/streams and no AbortSignal chain per call, which were most of the cost of a
 * proxied request. A custom `fetch` (tests, other runtimes) still works through the same path.
 */
import { EventEmitter } from 'node:events';
import type { Agent } from 'undici';
import { type ChunkSource, nodeChunkSource, webChunkSource } from './chunk-source.js';
import { type WireRecord, type WrappedBody, wrapBody } from './response-body.js';

export interface CallOutcome {
  cancelled: boolean;
  timedOut: boolean;
  headersReceived: boolean;
  status?: number;
  retryAfterSeconds?: number;
  /** The message of an `{"error": …}` line inside a 200 stream. */
  errorLine?: string;
  /** The first line that was not JSON. */
  malformedLine?: string;
  /** A `done: true` (or `status: success`) line arrived: the rest of the body is only its end. */
  sawDone?: boolean;
}

export interface UpstreamCall {
  readonly fetch: typeof fetch;
  /** POSTs JSON and reads the NDJSON answer parsed once (no client re-framing). */
  postNdjson(url: string, payload: unknown): Promise<AsyncIterable<WireRecord>>;
  /** A plain JSON request/answer (embed, tags, ps): parsed once, no client in between. */
  requestJson(
    method: 'GET' | 'POST',
    url: string,
    payload?: unknown,
    parse?: (text: string) => unknown,
  ): Promise<unknown>;
  readonly outcome: CallOutcome;
  readonly timeoutMs: number;
  /** Removes listeners and timers; aborts the HTTP request unless its body was fully read. */
  dispose(): Promise<void>;
}

export interface UpstreamCallOptions {
  signal?: AbortSignal | undefined;
  timeoutMs: number;
  /** A custom fetch; without one, undici's `request` on the shared keep-alive pool. */
  baseFetch?: typeof fetch | undefined;
  /** The response is an NDJSON stream: validate and re-frame it line by line. */
  ndjson?: boolean;
}

/**
 * Keep-alive pool shared by every Ollama upstream (one pool per origin inside). undici is loaded
 * on the first call, not at start-up: it weighs ~20 MB of an idle gateway's memory.
 */
let pool: Agent | undefined;
let loadingPool: Promise<Agent> | undefined;
async function sharedPool(): Promise<Agent> {
  loadingPool ??= import('undici').then(({ Agent }) => {
    pool = new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
    return pool;
  });
  return loadingPool;
}

const JSON_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json',
  'user-agent': `intellicore-llm-gateway (${process.arch} ${process.platform} Node.js/${process.version})`,
};

/** What a transport hands back once the headers arrived. */
interface Head {
  status: number;
  statusText: string;
  header(name: string): string | undefined;
  source: ChunkSource | undefined;
}

export function createUpstreamCall(options: UpstreamCallOptions): UpstreamCall {
  const { signal, timeoutMs, baseFetch } = options;
  const ndjson = options.ndjson === true;
  const outcome: CallOutcome = { cancelled: false, timedOut: false, headersReceived: false };
  /** undici's abort signal: a plain emitter is all it needs. */
  const aborter = new EventEmitter();
  let controller: AbortController | undefined;
  let innerSignal: AbortSignal | undefined;
  let aborted = false;
  let bodyDone = false;
  let disposed = false;
  let wrapped: WrappedBody | undefined;
  let source: ChunkSource | undefined;
  let rejectHeaders: ((error: Error) => void) | undefined;

  const abortUpstream = () => {
    if (aborted) return;
    aborted = true;
    rejectHeaders?.(abortError());
    source?.fail(abortError());
    aborter.emit('abort');
    controller?.abort();
  };
  const onCallerAbort = () => {
    if (!bodyDone) outcome.cancelled = true;
    abortUpstream();
  };
  if (signal?.aborted) onCallerAbort();
  else signal?.addEventListener('abort', onCallerAbort, { once: true });

  let timer: ReturnType<typeof setTimeout> | undefined;
  let armed = false;
  const onTimeout = () => {
    timer = undefined;
    if (!armed) return;
    outcome.timedOut = true;
    abortUpstream();
  };
  const arm = () => {
    if (timeoutMs <= 0) return;
    armed = true;
    if (timer) timer.refresh();
    else timer = setTimeout(onTimeout, timeoutMs);
  };
  const disarm = () => {
    armed = false;
  };

  const dispose = async (): Promise<void> => {
    if (disposed) return;
    disposed = true;
    signal?.removeEventListener('abort', onCallerAbort);
    innerSignal?.removeEventListener('abort', abortUpstream);
    if (!bodyDone) {
      // A finished answer whose terminator is still unread: read it so the socket stays in the
      // keep-alive pool. Anything else still in flight is aborted.
      const finished = ndjson ? outcome.sawDone : true;
      if (finished && wrapped && !aborted) await wrapped.drain();
      else abortUpstream();
    }
    armed = false;
    if (timer) clearTimeout(timer);
    timer = undefined;
  };

  /** Resolves with the headers, or rejects as soon as the call is aborted. */
  const send = (input: string | URL | Request, init: RequestInit | undefined): Promise<Head> =>
    new Promise<Head>((resolve, reject) => {
      rejectHeaders = reject;
      const sent = baseFetch ? sendFetch(baseFetch, input, init) : sendUndici(input, init);
      sent.then(
        (head) => {
          rejectHeaders = undefined;
          if (aborted) head.source?.fail(abortError());
          else resolve(head);
        },
        (error: unknown) => {
          rejectHeaders = undefined;
          reject(error);
        },
      );
    });

  const sendUndici = async (
    input: string | URL | Request,
    init: RequestInit | undefined,
  ): Promise<Head> => {
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
  };

  const sendFetch = async (
    fetchFn: typeof fetch,
    input: string | URL | Request,
    init: RequestInit | undefined,
  ): Promise<Head> => {
    controller ??= new AbortController();
    if (aborted) controller.abort();
    const response = await fetchFn(input, { ...init, signal: controller.signal });
    return {
      status: response.status,
      statusText: response.statusText,
      header: (name) => response.headers.get(name) ?? undefined,
      source: response.body ? webChunkSource(response.body) : undefined,
    };
  };

  /** Sends the request and wraps the answer; a non-2xx answer comes back as its error message. */
  const open = async (
    input: string | URL | Request,
    init: RequestInit | undefined,
  ): Promise<{ head: Head; body?: WrappedBody; error?: string }> => {
    const inner = init?.signal;
    if (inner) {
      if (inner.aborted) abortUpstream();
      else if (!aborted) {
        inner.addEventListener('abort', abortUpstream, { once: true });
        innerSignal = inner;
      }
    }
    if (aborted) throw abortError();
    arm();
    let head: Head;
    try {
      head = await send(input, init);
    } finally {
      disarm();
    }
    source = head.source;
    outcome.headersReceived = true;
    outcome.status = head.status;
    const ok = head.status >= 200 && head.status < 300;
    if (!head.source) {
      bodyDone = true;
      return ok ? { head } : { head, error: errorMessage(head, '', outcome) };
    }
    const body = wrapBody(head.source, {
      ndjson: ok && ndjson,
      outcome,
      arm,
      disarm,
      onDone: () => {
        bodyDone = true;
      },
      abortUpstream,
    });
    if (!ok) return { head, error: errorMessage(head, await body.text(), outcome) };
    wrapped = body;
    return { head, body };
  };

  const callFetch = async (
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> => {
    const { head, body, error } = await open(input, init);
    return error === undefined ? liteResponse(head, true, body) : errorResponse(head, error);
  };

  const requestJson = async (
    method: 'GET' | 'POST',
    url: string,
    payload?: unknown,
    parse: (text: string) => unknown = JSON.parse,
  ) => {
    const init: RequestInit = { method, headers: JSON_HEADERS };
    if (payload !== undefined) init.body = JSON.stringify(payload);
    const { head, body, error } = await open(url, init);
    if (error !== undefined) throw responseError(error, head.status);
    return body ? parse(await body.text()) : {};
  };

  const postNdjson = async (url: string, payload: unknown): Promise<AsyncIterable<WireRecord>> => {
    const { head, body, error } = await open(url, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify(payload),
    });
    if (error !== undefined) throw responseError(error, head.status);
    if (!body) throw new Error('Missing body');
    return body.records();
  };

  return {
    fetch: callFetch as unknown as typeof fetch,
    postNdjson,
    requestJson,
    outcome,
    timeoutMs,
    dispose,
  };
}

/** The part of a fetch Response the ollama client uses. */
function liteResponse(head: Head, ok: boolean, body: WrappedBody | undefined): Response {
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

/** `http://h:1/x?y` → origin `http://h:1`, path `/x?y` (cheaper than a URL per request). */
function splitUrl(url: string): { origin: string; path: string } {
  const slash = url.indexOf('/', url.indexOf('//') + 2);
  if (slash < 0) return { origin: url, path: '/' };
  return { origin: url.slice(0, slash), path: url.slice(slash) };
}

function abortError(): Error {
  const error = new Error('This operation was aborted');
  error.name = 'AbortError';
  return error;
}

/** The upstream's error message of a non-2xx answer (its `{"error"}` JSON, or its text). */
function errorMessage(head: Head, text: string, outcome: CallOutcome): string {
  const retryAfter = Number(head.header('retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter > 0) outcome.retryAfterSeconds = retryAfter;
  let message = text.trim();
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') message = parsed.error;
  } catch {
    // not JSON: keep the text
  }
  return message || `HTTP ${head.status} ${head.statusText}`.trim();
}

/** A non-2xx answer normalised to `{"error": …}` JSON, so the client never logs to the console. */
function errorResponse(head: Head, message: string): Response {
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
function responseError(message: string, status: number): Error {
  return Object.assign(new Error(message), {
    name: 'ResponseError',
    error: message,
    status_code: status,
  });
}
