/**
 * What one request of an ordinary (non-admin) key may cost, applied in core with `ctx.caller`
 * so it holds on every door. A request over a cap is refused (BAD_REQUEST naming the field),
 * never silently shrunk: the caller learns the limit instead of getting a different answer.
 * Admin keys are not capped.
 */
import { badRequest, type FieldError } from '../errors.js';
import { keepAliveMs } from '../providers/embedded/keep-alive.js';
import type { Provider } from '../providers/provider.js';
import type { KeepAlive, ModelOptions } from '../types.js';
import type { Caller, RequestCaps } from './context.js';

export type { RequestCaps };

export const DEFAULT_REQUEST_CAPS: Readonly<RequestCaps> = Object.freeze({
  maxNumCtx: 131_072,
  maxNumPredict: 16_384,
  maxKeepAliveMs: 30 * 60_000,
});

/**
 * Options that make Ollama reload a model with other settings (for every caller using it):
 * admin keys only.
 */
export const LOAD_OPTIONS = [
  'num_gpu',
  'main_gpu',
  'num_batch',
  'num_thread',
  'use_mmap',
  'use_mlock',
  'numa',
  'low_vram',
] as const;

interface Cappable {
  options?: ModelOptions | undefined;
  keepAlive?: KeepAlive | undefined;
}

/** The caps that bind this caller, or undefined when none do (admin keys). */
export function capsFor(caller: Caller, defaults: RequestCaps): RequestCaps | undefined {
  if (caller.admin) return undefined;
  return { ...defaults, ...caller.caps };
}

/** Throws BAD_REQUEST naming every field over this caller's caps. */
export function enforceCaps(request: Cappable, caps: RequestCaps | undefined): void {
  if (!caps) return;
  const errors: FieldError[] = [];
  const options = request.options ?? {};
  const numCtx = options.num_ctx;
  if (caps.maxNumCtx > 0 && typeof numCtx === 'number' && numCtx > caps.maxNumCtx) {
    errors.push({
      path: 'options.num_ctx',
      message: `must be at most ${caps.maxNumCtx} for a non-admin API key`,
    });
  }
  const numPredict = options.num_predict;
  if (
    caps.maxNumPredict > 0 &&
    typeof numPredict === 'number' &&
    (numPredict < 0 || numPredict > caps.maxNumPredict)
  ) {
    errors.push({
      path: 'options.num_predict',
      message: `must be between 0 and ${caps.maxNumPredict} for a non-admin API key (no limit, -1 or -2, needs an admin key)`,
    });
  }
  for (const name of LOAD_OPTIONS) {
    if (options[name] !== undefined) {
      errors.push({
        path: `options.${name}`,
        message: 'needs an admin API key (it reloads the model for every caller)',
      });
    }
  }
  if (request.keepAlive !== undefined) {
    const ms = keepAliveMs(request.keepAlive, 'keepAlive');
    if (ms === Number.POSITIVE_INFINITY) {
      errors.push({
        path: 'keepAlive',
        message: `a negative keep_alive (keep loaded forever) needs an admin API key; at most ${duration(caps.maxKeepAliveMs)} for this key`,
      });
    } else if (ms > caps.maxKeepAliveMs) {
      errors.push({
        path: 'keepAlive',
        message: `must be at most ${duration(caps.maxKeepAliveMs)} for a non-admin API key`,
      });
    }
  }
  if (errors.length > 0) throw badRequest(errors);
}

/**
 * The request as one upstream gets it: a capped caller's request without num_predict gets the
 * cap on Ollama upstreams, so an answer never runs unbounded there. Applied at the upstream call,
 * after the rate limiter's estimate and the cache key, which keep the caller's own request.
 */
export function boundForUpstream<T extends Cappable>(
  request: T,
  caps: RequestCaps | undefined,
  provider: Pick<Provider, 'kind'>,
): T {
  if (!caps || caps.maxNumPredict <= 0 || provider.kind !== 'ollama') return request;
  if (request.options?.num_predict !== undefined) return request;
  return { ...request, options: { ...request.options, num_predict: caps.maxNumPredict } };
}

/** `30m`, `90s`, `1h30m`: the Go-duration form keep_alive takes. */
function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const text = `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
  return text || '0s';
}
