import { GatewayError, publicDetails } from '@intellicore/llm-core';
import type { TRPC_ERROR_CODE_NUMBER, TRPCError, TRPCProcedureType } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import {
  fieldErrorsFromIssues,
  gatewayCodeOfTrpcCode,
  hasIssues,
  publicMessage,
} from './errors.js';
import type { FieldErrorData, GatewayErrorCodeName, GatewayErrorData } from './schemas/errors.js';

/** tRPC's default error shape (JSON-RPC 2.0 code, message, data), before the gateway's format. */
export interface DefaultErrorShape {
  message: string;
  code: TRPC_ERROR_CODE_NUMBER;
  data: { code: TRPCError['code']; httpStatus: number; path?: string; stack?: string };
}

/** JSON-RPC codes on which tRPC's SSE link reconnects by itself (it would re-run a generation). */
const RETRYABLE_RPC_CODES = new Set<number>([
  TRPC_ERROR_CODES_BY_KEY.BAD_GATEWAY,
  TRPC_ERROR_CODES_BY_KEY.SERVICE_UNAVAILABLE,
  TRPC_ERROR_CODES_BY_KEY.GATEWAY_TIMEOUT,
  TRPC_ERROR_CODES_BY_KEY.INTERNAL_SERVER_ERROR,
]);

/**
 * The gateway's error format: tRPC's shape plus `gatewayCode`, `fieldErrors`,
 * `retryAfterSeconds` and `details`; never a stack or an internal message. Used as tRPC's
 * `errorFormatter` and by the gateway's own tRPC transport, so both answer the same shape.
 */
export function formatErrorShape(opts: {
  shape: DefaultErrorShape;
  error: TRPCError;
  type: TRPCProcedureType | 'unknown';
}) {
  const { shape, error, type } = opts;
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
  // tRPC's GET SSE link reconnects on 5xx codes; a reconnect must never re-run a generation, so
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
}

export type GatewayErrorShape = ReturnType<typeof formatErrorShape>;

/** The answer shape of a failed call, as tRPC builds it: default shape, then the format. */
export function errorShapeOf(
  error: TRPCError,
  path: string | undefined,
  type: TRPCProcedureType | 'unknown',
): GatewayErrorShape {
  const shape: DefaultErrorShape = {
    message: error.message,
    code: TRPC_ERROR_CODES_BY_KEY[error.code],
    data: { code: error.code, httpStatus: getHTTPStatusCodeFromError(error) },
  };
  if (path !== undefined) shape.data.path = path;
  return formatErrorShape({ shape, error, type });
}
