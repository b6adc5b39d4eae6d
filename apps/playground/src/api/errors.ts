import { GatewayClientError } from '@intellicore/llm-client';

export interface ShownError {
  code: string;
  message: string;
  fields: { path: string; message: string }[];
}

function isShownError(error: unknown): error is ShownError {
  const e = error as Partial<ShownError> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.code === 'string' &&
    typeof e.message === 'string' &&
    Array.isArray(e.fields)
  );
}

/**
 * Any failure of a call, as the stable gateway code, its message and the field errors. Plain
 * data, so it can be kept (the chat stores failed turns in localStorage). A ShownError is kept.
 */
export function shownError(error: unknown): ShownError {
  if (isShownError(error)) return error;
  const e = GatewayClientError.from(error);
  return { code: e.gatewayCode, message: e.message, fields: e.fieldErrors };
}

/** A stop by the user: information, not a failure. */
export const isCancelled = (error: unknown): boolean =>
  error !== undefined && error !== null && shownError(error).code === 'CANCELLED';

/**
 * True when the gateway has no such procedure (e.g. `usage.summary` on a gateway without usage
 * analytics): NOT_FOUND — unlike a missing model or template, which carry MODEL_NOT_FOUND /
 * TEMPLATE_NOT_FOUND.
 */
export function isMissingProcedure(error: unknown): boolean {
  const data = (error as { data?: { code?: unknown; gatewayCode?: unknown } } | null)?.data;
  return data?.gatewayCode === 'NOT_FOUND';
}
