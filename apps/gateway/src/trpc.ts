import { GatewayError, type GatewayErrorCode, publicDetails } from '@intellicore/llm-core';
import { initTRPC, TRPCError } from '@trpc/server';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import superjson from 'superjson';
import type { Caller } from './auth.js';
import {
  fieldErrorsFromIssues,
  gatewayCodeOfTrpcCode,
  hasIssues,
  publicMessage,
  TRPC_CODE_BY_GATEWAY_CODE,
} from './errors.js';
import type { QuotaInfo } from './http/quota-headers.js';
import type { RequestRecord } from './observability/request-record.js';
import type { FieldErrorData, GatewayErrorCodeName, GatewayErrorData } from './schemas/errors.js';

/**
 * tRPC setup. Context has two parts: the services (inner part) are bound when the router is
 * built (`createAppRouter(deps)`), so server-side callers and tests need no request; the
 * per-request outer part below comes from the HTTP request (auth, request id, log record).
 * Keeping services out of the context type keeps server types out of `AppRouter`'s declaration.
 */
export interface TrpcContext {
  requestId: string;
  /** The caller, or null when the API key was missing/invalid (see `authError`). */
  caller: Caller | null;
  authError?: string;
  /** Filled by procedures (model, upstream, tokens); logged when the response closes. */
  record: RequestRecord;
  /** Sets `X-RateLimit-*` response headers once the rate limiter decided (when possible). */
  onQuota?: (quota: QuotaInfo) => void;
}

export type { GatewayErrorData };

// Compile-time check: the plain code list of the SDK-facing types equals core's.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const codesInSync: Same<GatewayErrorCode, GatewayErrorCodeName> = true;
void codesInSync;

/** JSON-RPC codes on which tRPC's SSE link reconnects by itself (it would re-run a generation). */
const RETRYABLE_RPC_CODES = new Set<number>([
  TRPC_ERROR_CODES_BY_KEY.BAD_GATEWAY,
  TRPC_ERROR_CODES_BY_KEY.SERVICE_UNAVAILABLE,
  TRPC_ERROR_CODES_BY_KEY.GATEWAY_TIMEOUT,
  TRPC_ERROR_CODES_BY_KEY.INTERNAL_SERVER_ERROR,
]);

export const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  isDev: false,
  sse: {
    // Pings keep proxies from cutting long generations; the interval is set from SSE_PING_MS
    // at start-up (configureSse). maxDurationMs stays unset: a generation takes what it takes.
    ping: { enabled: true, intervalMs: 10_000 },
  },
  errorFormatter({ shape, error, type }) {
    const cause = error.cause;
    const gateway = cause instanceof GatewayError ? cause : undefined;
    let gatewayCode: GatewayErrorCodeName = gateway?.code ?? gatewayCodeOfTrpcCode(error.code);
    let fieldErrors: FieldErrorData[] | null = gateway?.fieldErrors ?? null;
    let message = gateway ? publicMessage(gateway) : shape.message;
    // Input validation failures only: an output validation failure is the server's bug (INTERNAL).
    if (!gateway && error.code === 'BAD_REQUEST' && hasIssues(cause)) {
      fieldErrors = fieldErrorsFromIssues(cause.issues);
      message = fieldErrors.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join('; ');
      gatewayCode = 'BAD_REQUEST';
    } else if (!gateway && gatewayCode === 'INTERNAL') {
      message = 'Internal gateway error';
    }
    const { stack: _stack, ...data } = shape.data;
    // The SSE link reconnects on 5xx codes; a reconnect must never re-run a generation, so
    // subscription errors are final (`data.code`/`data.httpStatus` keep the real class).
    const code =
      type === 'subscription' && RETRYABLE_RPC_CODES.has(shape.code)
        ? TRPC_ERROR_CODES_BY_KEY.CONFLICT
        : shape.code;
    const extra: GatewayErrorData = {
      gatewayCode,
      fieldErrors,
      retryAfterSeconds: gateway?.retryAfterSeconds ?? null,
      details: (gateway && publicDetails(gateway)) ?? null,
    };
    return { ...shape, code, message, data: { ...data, ...extra } };
  },
});

/** Sets the SSE ping interval (SSE_PING_MS). Shared by every router built from `t`. */
export function configureSse(options: { pingMs: number }): void {
  const sse = t._config.sse;
  if (sse?.ping) sse.ping.intervalMs = options.pingMs;
}

export function toTrpcError(error: GatewayError): TRPCError {
  return new TRPCError({
    code: TRPC_CODE_BY_GATEWAY_CODE[error.code],
    message: publicMessage(error),
    cause: error,
  });
}

/** GatewayErrors thrown by core become tRPC errors with the right code (hence HTTP status). */
const mapGatewayErrors = t.middleware(async ({ next, ctx }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof GatewayError) {
      ctx.record.code = cause.code;
      return { ...result, error: toTrpcError(cause) };
    }
    ctx.record.code = gatewayCodeOfTrpcCode(result.error.code);
  }
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(mapGatewayErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.caller) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: ctx.authError ?? 'Missing API key' });
  }
  return next({ ctx: { ...ctx, caller: ctx.caller } });
});

export const adminProcedure = authedProcedure.use(({ ctx, path, next }) => {
  if (!ctx.caller.admin) {
    // First line only: core refuses a non-admin caller itself (requireAdmin), on every door.
    throw toTrpcError(
      new GatewayError('FORBIDDEN', `${path} needs an admin API key`, {
        details: { operation: path },
      }),
    );
  }
  return next();
});

/** Re-throws anything from a subscription's generator as a typed tRPC error. */
export function asTrpcError(error: unknown): TRPCError {
  if (error instanceof TRPCError) return error;
  if (error instanceof GatewayError) return toTrpcError(error);
  return new TRPCError({
    code: 'INTERNAL_SERVER_ERROR',
    message: 'Internal gateway error',
    cause: error,
  });
}
