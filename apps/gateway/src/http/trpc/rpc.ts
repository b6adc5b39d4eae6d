import type { ServerResponse } from 'node:http';
import { GatewayError } from '@intellicore/llm-core';
import {
  type AnyTRPCRouter,
  callTRPCProcedure,
  getTRPCErrorFromUnknown,
  type TRPCError,
  type TRPCProcedureType,
} from '@trpc/server';
import { getHTTPStatusCode } from '@trpc/server/http';
import { asTrpcError, type TrpcContext } from '../../trpc.js';
import { errorShapeOf, type GatewayErrorShape } from '../../trpc-error-format.js';
import { answerJson } from '../json-text.js';

/** One call of a request: a procedure path and its input (plain JSON, no transformer). */
export interface RpcCall {
  path: string;
  input: unknown;
}

/** What a call answered, before it is written (tRPC's HTTP RPC shape). */
export type RpcOutcome =
  | { ok: true; data: unknown }
  | { ok: false; error: TRPCError; shape: GatewayErrorShape };

/** The procedures of a router by path, with their type (`router._def.procedures` is flat). */
export function procedureTypes(router: AnyTRPCRouter): Map<string, TRPCProcedureType> {
  const types = new Map<string, TRPCProcedureType>();
  for (const [path, procedure] of Object.entries(router._def.procedures)) {
    const type = (procedure as { _def?: { type?: TRPCProcedureType } })._def?.type;
    if (type) types.set(path, type);
  }
  return types;
}

export function failure(error: unknown, path: string | undefined, type?: TRPCProcedureType) {
  const trpcError =
    error instanceof GatewayError ? asTrpcError(error) : getTRPCErrorFromUnknown(error);
  return {
    ok: false as const,
    error: trpcError,
    shape: errorShapeOf(trpcError, path, type ?? 'unknown'),
  };
}

/**
 * Runs one query or mutation through tRPC's own procedure call (middlewares, input and output
 * validation, error formatting), the way tRPC's HTTP adapters do, without their per-request
 * Fetch Request/Response conversion.
 */
export async function runCall(
  router: AnyTRPCRouter,
  call: RpcCall,
  type: TRPCProcedureType,
  ctx: TrpcContext,
  signal: AbortSignal,
  batchIndex: number,
): Promise<RpcOutcome> {
  try {
    const data: unknown = await callTRPCProcedure({
      router,
      path: call.path,
      type,
      ctx,
      signal,
      batchIndex,
      getRawInput: async () => call.input,
    });
    return { ok: true, data };
  } catch (error) {
    return failure(error, call.path, type);
  }
}

/** Writes the outcomes: one object for a single call, an array for a batch (RPC spec). */
export function writeOutcomes(
  res: ServerResponse,
  outcomes: readonly RpcOutcome[],
  batch: boolean,
): void {
  let retryAfter: number | undefined;
  const parts = outcomes.map((o) => {
    if (o.ok) return `{"result":{"data":${answerJson(o.data)}}}`;
    const seconds = o.shape.data.retryAfterSeconds;
    if (seconds !== null) retryAfter = Math.max(retryAfter ?? 0, seconds);
    return JSON.stringify({ error: o.shape });
  });
  const body = batch ? `[${parts.join(',')}]` : (parts[0] ?? '{}');
  const status = getHTTPStatusCode(
    outcomes.map((o) => (o.ok ? { result: { data: null } } : { error: o.shape })),
  );
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  };
  if (retryAfter !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfter)));
  res.writeHead(status, headers);
  res.end(body);
}
