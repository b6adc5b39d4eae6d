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
 * By default the request goes out through node:http on shared keep-alive agents and the
 * answer is a minimal Response (ok, status, headers.get, body.getReader, json, text): no WHATWG
 * Request/Response/streams and no AbortSignal chain per call, which were most of the cost of a
 * proxied request. A custom `fetch` (tests, other runtimes) still works through the same path.
 */
import { EventEmitter } from 'node:events';
import type { CallOutcome } from './call-outcome.js';
import type { ChunkSource } from './chunk-source.js';
import { errorMessage, errorResponse, liteResponse, responseError } from './lite-response.js';
import { type WireRecord, type WrappedBody, wrapBody } from './response-body.js';
import { type Head, JSON_HEADERS, sendFetch, sendNodeHttp } from './transport.js';

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
  /** A custom fetch; without one, node:http on the shared keep-alive agents. */
  baseFetch?: typeof fetch | undefined;
  /** The response is an NDJSON stream: validate and re-frame it line by line. */
  ndjson?: boolean;
  /** Sent with the gateway's own requests besides the JSON headers (trace context). */
  headers?: Record<string, string> | undefined;
}

export function createUpstreamCall(options: UpstreamCallOptions): UpstreamCall {
  const { signal, timeoutMs, baseFetch } = options;
  const ndjson = options.ndjson === true;
  const jsonHeaders = options.headers ? { ...JSON_HEADERS, ...options.headers } : JSON_HEADERS;
  const outcome: CallOutcome = { cancelled: false, timedOut: false, headersReceived: false };
  /** The transport's abort signal: a plain emitter is all it needs. */
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
      let sent: Promise<Head>;
      if (baseFetch) {
        controller ??= new AbortController();
        sent = sendFetch(baseFetch, input, init, controller.signal);
      } else sent = sendNodeHttp(input, init, aborter);
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
    const init: RequestInit = { method, headers: jsonHeaders };
    if (payload !== undefined) init.body = JSON.stringify(payload);
    const { head, body, error } = await open(url, init);
    if (error !== undefined) throw responseError(error, head.status);
    return body ? parse(await body.text()) : {};
  };

  const postNdjson = async (url: string, payload: unknown): Promise<AsyncIterable<WireRecord>> => {
    const { head, body, error } = await open(url, {
      method: 'POST',
      headers: jsonHeaders,
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

function abortError(): Error {
  const error = new Error('This operation was aborted');
  error.name = 'AbortError';
  return error;
}
