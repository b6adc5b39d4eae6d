import {
  GatewayError,
  type GatewayService,
  type KeyDirectory,
  type KeyService,
  type RequestContext,
  type RequestLogBackend,
  type TemplateService,
  type UsageStore,
} from '@intellicore/llm-core';
import { traceOf } from '../observability/record-trace.js';
import type { GatewayState } from '../state.js';
import type { TrpcContext } from '../trpc.js';

/** What routers are built with (the inner, request-independent part of the context). */
export interface RouterDeps {
  service: GatewayService;
  /** Prompt templates (and chat.validateField / chat.suggestFields); absent → those fail. */
  templates?: TemplateService | undefined;
  /** Usage records (usage.summary); absent → that fails. */
  usage?: UsageStore | undefined;
  /** Stored API keys: the admin operations (keys.*; absent → those fail) and the directory
   * that names them (usage.summary by key). */
  keys?: { service: KeyService; directory: Pick<KeyDirectory, 'nameOf'> } | undefined;
  /** The request log (requests.list/get); absent → those fail. */
  requestLog?: RequestLogBackend | undefined;
  state: GatewayState;
  logPrompts: boolean;
}

/** A part the gateway may run without: its procedures then answer INTERNAL saying so. */
export function configured<T>(part: T | undefined, missing: string): T {
  if (part === undefined) throw new GatewayError('INTERNAL', missing);
  return part;
}

/** The core's per-call context for a procedure call (tRPC, or the REST front through it). */
export function coreContext(
  ctx: TrpcContext,
  signal: AbortSignal | undefined,
  noCache?: boolean,
): RequestContext {
  const caller = ctx.caller ?? { keyId: null, admin: false };
  const rc: RequestContext = {
    caller,
    door: ctx.door ?? 'trpc',
    requestId: ctx.requestId,
    trace: traceOf(ctx.record, caller),
  };
  if (signal) rc.signal = signal;
  if (ctx.onQuota) rc.onQuota = ctx.onQuota;
  if (noCache) rc.noCache = true;
  return rc;
}
