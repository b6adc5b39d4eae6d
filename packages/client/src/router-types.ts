import type {
  AppRouter as GatewayAppRouter,
  ProcedureMeta,
  TrpcContext,
} from '@intellicore/llm-gateway';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

/*
 * Types only: the SDK imports no gateway code, and its published d.ts must not need the gateway
 * either. The gateway's `AppRouter` is `ReturnType<typeof createAppRouter>`; copied as is, its
 * declaration drags in the factory's parameter (services, and core's zod-typed template types:
 * the leak of trpc#5004). Taking the type through an inferred return type makes the declaration
 * emitter print the router structurally instead: procedures, inputs, outputs and error shape,
 * referring to @trpc/server and a few plain gateway/core types that the build inlines.
 * `typeOf` is declared, never defined: `expandRouter` is never called and is tree-shaken.
 */
declare function typeOf<T>(): T;
function expandRouter() {
  return typeOf<GatewayAppRouter>();
}

/** The gateway's tRPC router type (for `createTRPCClient<AppRouter>` and inference helpers). */
export type AppRouter = ReturnType<typeof expandRouter>;

/** Inputs of every procedure: `RouterInputs['chat']['completion']`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** Outputs of every procedure: `RouterOutputs['models']['list']`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** The gateway's per-request context type, as the router's type refers to it. */
export type GatewayRequestContext = TrpcContext;
/** The gateway's procedure meta type, as the router's type refers to it. */
export type GatewayProcedureMeta = ProcedureMeta;
