import type { CallOptions } from '../providers/provider.js';
import type { RequestTrace } from '../tracing/request-trace.js';

/**
 * The options of one upstream attempt: the caller's signal, and the trace headers when traced.
 * Read per attempt: the upstream phase in progress is the parent of the request sent.
 */
export function upstreamCallOptions(
  signal: AbortSignal | undefined,
  trace: RequestTrace | undefined,
): CallOptions {
  const headers = trace?.upstreamHeaders();
  const options: CallOptions = {};
  if (signal) options.signal = signal;
  if (headers) options.headers = headers;
  return options;
}
