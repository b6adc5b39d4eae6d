import { GatewayError, type GatewayErrorCode } from '@intellicore/llm-core';
import { initTRPC, type TRPCDataTransformer, TRPCError } from '@trpc/server';
import type { Caller } from './auth.js';
import { gatewayCodeOfTrpcCode, publicMessage, TRPC_CODE_BY_GATEWAY_CODE } from './errors.js';
import type { QuotaInfo } from './http/quota-headers.js';
import type { RequestRecord } from './observability/request-record.js';
import type { GatewayErrorCodeName, GatewayErrorData } from './schemas/errors.js';
import { formatErrorShape } from './trpc-error-format.js';

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
  /** The door the call came in by, for usage and metrics: the REST front (`/api/v1`) calls the
   * same procedures; absent means tRPC. */
  door?: 'trpc' | 'rest';
}

export type { GatewayErrorData };

// Compile-time check: the plain code list of the SDK-facing types equals core's.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const codesInSync: Same<GatewayErrorCode, GatewayErrorCodeName> = true;
void codesInSync;

/**
 * The wire is plain JSON: no procedure returns a Date (the one Date input, `usage.summary`'s
 * range, also takes ISO strings, which is what a Date becomes in JSON), so the tRPC wire carries
 * the same JSON as the REST front and nothing walks vectors or messages looking for special
 * values. It is declared as an identity transformer rather than none, because without one tRPC
 * types every output through its `Serialize` JSON mapping, which in a consumer without
 * `strictNullChecks` turns every property optional; with it, callers see the procedures' own
 * output types. Clients pass the same identity (the SDK exports it as `plainJson`).
 */
export const plainJson: TRPCDataTransformer = {
  serialize: (value: unknown) => value,
  deserialize: (value: unknown) => value,
};

/**
 * What a procedure declares for the docs. `output`: the answer's schema for `/docs` and
 * `/openapi.json` on the inference procedures, which declare it here instead of with
 * `.output()`: tRPC validates a declared output on every call (one more middleware level and a
 * zod parse of the whole answer, ~5 % of a chat call's CPU), and these answers are built field by
 * field from core's typed results by shape.ts (their resolvers are typed with the schema's type,
 * and `trpc.integration.test.ts` checks real answers against the schemas, strictly).
 * Typed `unknown` so that no zod type reaches the SDK's declarations.
 */
export interface ProcedureMeta {
  /** What the procedure does, for the docs (else PROCEDURE_DESCRIPTIONS). */
  description?: string;
  output?: unknown;
}

export const t = initTRPC
  .context<TrpcContext>()
  .meta<ProcedureMeta>()
  .create({
    transformer: plainJson,
    isDev: false,
    sse: {
      // Pings keep proxies from cutting long generations on the GET SSE path (tRPC's own link);
      // the SDK's POST streams ping every SSE_PING_MS. A generation takes what it takes.
      ping: { enabled: true, intervalMs: 10_000 },
    },
    errorFormatter: formatErrorShape,
  });

export function toTrpcError(error: GatewayError): TRPCError {
  return new TRPCError({
    code: TRPC_CODE_BY_GATEWAY_CODE[error.code],
    message: publicMessage(error),
    cause: error,
  });
}

/** GatewayErrors thrown by core become tRPC errors with the right code (hence HTTP status). */
function typedFailure<R extends { ok: boolean; error?: TRPCError }>(
  result: R,
  ctx: TrpcContext,
): R {
  if (result.ok || !result.error) return result;
  const cause = result.error.cause;
  if (cause instanceof GatewayError) {
    ctx.record.code = cause.code;
    return { ...result, error: toTrpcError(cause) };
  }
  ctx.record.code = gatewayCodeOfTrpcCode(result.error.code);
  return result;
}

const mapGatewayErrors = t.middleware(async ({ next, ctx }) => typedFailure(await next(), ctx));

export const router = t.router;
export const publicProcedure = t.procedure.use(mapGatewayErrors);

/**
 * The caller must be known; failures typed as in publicProcedure. One middleware for both (each
 * level of tRPC's middleware chain is an async call and a copy of the context per call).
 */
export const authedProcedure = t.procedure.use(async ({ ctx, next }) => {
  if (!ctx.caller) {
    ctx.record.code = gatewayCodeOfTrpcCode('UNAUTHORIZED');
    throw new TRPCError({ code: 'UNAUTHORIZED', message: ctx.authError ?? 'Missing API key' });
  }
  return typedFailure(await next({ ctx: { caller: ctx.caller } }), ctx);
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
