/**
 * Micro-batching of embeddings: concurrent embed calls with the same model and parameters are
 * sent as one upstream `/api/embed` call and split back, in order. A batch waits only while
 * another batch of its kind is in flight (then up to the window, so callers arriving meanwhile
 * share the next call); with none in flight it leaves at the end of this turn of the event loop
 * (callers that arrived together still share it), so a lone call waits for nothing. Vectors are
 * identical to unbatched calls (each input is embedded on its own upstream). A caller that aborts
 * gets CANCELLED at once and is dropped; the upstream call is aborted only when every caller of
 * the batch has left.
 */
import { GatewayError, toGatewayError } from '../errors.js';
import type { Resolved } from '../providers/provider.js';
import { stableStringify } from '../service/stable-stringify.js';
import { fanOutTrace } from '../tracing/fan-out-trace.js';
import type { RequestTrace } from '../tracing/request-trace.js';
import type { EmbedRequest, EmbedResult } from '../types.js';

export interface EmbedBatchingOptions {
  /** Default true. */
  enabled?: boolean;
  /** How long the first call of a batch waits for company while another batch of its kind is in
   * flight, ms (default 2, at most 2). */
  windowMs?: number;
  /** Most inputs per upstream call (default 64). */
  maxBatchSize?: number;
}

/** `trace`: the callers' traces, fanned out (the batch's queue and upstream phases are theirs). */
export type EmbedRunner = (
  request: Resolved<EmbedRequest>,
  signal: AbortSignal,
  trace?: RequestTrace,
) => Promise<EmbedResult>;

export interface EmbedBatcher {
  embed(
    request: Resolved<EmbedRequest>,
    signal?: AbortSignal,
    trace?: RequestTrace,
  ): Promise<EmbedResult>;
}

interface Item {
  inputs: string[];
  trace?: RequestTrace | undefined;
  settled: boolean;
  resolve(result: EmbedResult): void;
  reject(error: GatewayError): void;
  detach(): void;
}

interface Batch {
  template: Resolved<EmbedRequest>;
  items: Item[];
  inputCount: number;
  /** Cancels the scheduled departure (a window timer, or the end of this event-loop turn). */
  cancelDeparture?: () => void;
  controller?: AbortController;
}

/** Sends the batch after `windowMs`, or at the end of this event-loop turn when `now`. */
function scheduleDeparture(batch: Batch, leave: () => void, now: boolean, windowMs: number) {
  if (now) {
    const immediate = setImmediate(leave);
    batch.cancelDeparture = () => clearImmediate(immediate);
  } else {
    const timer = setTimeout(leave, windowMs);
    batch.cancelDeparture = () => clearTimeout(timer);
  }
}

export function createEmbedBatcher(
  run: EmbedRunner,
  options: EmbedBatchingOptions = {},
): EmbedBatcher {
  const enabled = options.enabled ?? true;
  const windowMs = Math.min(2, Math.max(0, options.windowMs ?? 2));
  const maxBatchSize = Math.max(1, options.maxBatchSize ?? 64);
  const open = new Map<string, Batch>();
  /** Upstream calls in flight per batch key. */
  const inFlight = new Map<string, number>();
  const settleOne = (key: string) => {
    const left = (inFlight.get(key) ?? 1) - 1;
    if (left > 0) inFlight.set(key, left);
    else inFlight.delete(key);
  };

  const runAlone = async (
    request: Resolved<EmbedRequest>,
    signal?: AbortSignal,
    trace?: RequestTrace,
  ) => {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    if (signal?.aborted) controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await run(request, controller.signal, trace);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  };

  const flush = (key: string, batch: Batch) => {
    if (open.get(key) === batch) open.delete(key);
    batch.cancelDeparture?.();
    const live = batch.items.filter((i) => !i.settled);
    if (live.length === 0) return;
    const controller = new AbortController();
    batch.controller = controller;
    const input = live.flatMap((i) => i.inputs);
    const traces = live.flatMap((i) => (i.trace ? [i.trace] : []));
    inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
    run({ ...batch.template, input }, controller.signal, fanOutTrace(traces)).then(
      (result) => {
        settleOne(key);
        splitResult(result, live);
      },
      (error) => {
        settleOne(key);
        const failure = toGatewayError(error);
        for (const item of live) item.reject(failure);
      },
    );
  };

  return {
    embed(request, signal, trace) {
      const inputs = Array.isArray(request.input) ? request.input : [request.input];
      if (!enabled || inputs.length >= maxBatchSize) return runAlone(request, signal, trace);
      if (signal?.aborted) return Promise.reject(cancelled());
      const key = batchKey(request);
      let batch = open.get(key);
      if (batch && batch.inputCount + inputs.length > maxBatchSize) {
        flush(key, batch);
        batch = undefined;
      }
      if (!batch) {
        const fresh: Batch = { template: request, items: [], inputCount: 0 };
        scheduleDeparture(fresh, () => flush(key, fresh), !inFlight.has(key), windowMs);
        open.set(key, fresh);
        batch = fresh;
      }
      const current = batch;
      return new Promise<EmbedResult>((resolve, reject) => {
        const onAbort = () => {
          item.reject(cancelled());
          if (current.items.every((i) => i.settled)) {
            current.controller?.abort();
            if (open.get(key) === current) {
              open.delete(key);
              current.cancelDeparture?.();
            }
          }
        };
        const item: Item = {
          inputs,
          trace,
          settled: false,
          detach: () => signal?.removeEventListener('abort', onAbort),
          resolve: (result) => {
            if (item.settled) return;
            item.settled = true;
            item.detach();
            resolve(result);
          },
          reject: (error) => {
            if (item.settled) return;
            item.settled = true;
            item.detach();
            reject(error);
          },
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        current.items.push(item);
        current.inputCount += inputs.length;
        if (current.inputCount >= maxBatchSize) flush(key, current);
      });
    },
  };
}

function splitResult(result: EmbedResult, items: Item[]): void {
  const totalChars = items.reduce((n, i) => n + i.inputs.reduce((m, s) => m + s.length, 0), 0);
  let offset = 0;
  for (const item of items) {
    const embeddings = result.embeddings.slice(offset, offset + item.inputs.length);
    offset += item.inputs.length;
    if (embeddings.length !== item.inputs.length) {
      item.reject(new GatewayError('UPSTREAM_ERROR', 'Upstream returned too few embeddings'));
      continue;
    }
    const share = totalChars === 0 ? 0 : item.inputs.reduce((m, s) => m + s.length, 0) / totalChars;
    const { promptEvalCount, ...rest } = result.metrics;
    const metrics: EmbedResult['metrics'] = { ...rest };
    // Token counts are not reported per input: each caller is charged its share by length.
    if (promptEvalCount !== undefined)
      metrics.promptEvalCount = Math.round(promptEvalCount * share);
    item.resolve({ ...result, embeddings, metrics });
  }
}

function batchKey(request: Resolved<EmbedRequest>): string {
  const { input: _input, ...rest } = request;
  return stableStringify(rest);
}

function cancelled(): GatewayError {
  return new GatewayError('CANCELLED', 'The embed request was cancelled');
}
