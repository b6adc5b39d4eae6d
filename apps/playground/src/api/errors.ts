import { GatewayClientError } from '@intellicore/llm-client';

export interface ShownError {
  code: string;
  message: string;
  fields: { path: string; message: string }[];
}

/** Any failure of a call, as the stable gateway code, its message and the field errors. */
export function shownError(error: unknown): ShownError {
  const e = GatewayClientError.from(error);
  return { code: e.gatewayCode, message: e.message, fields: e.fieldErrors };
}

/**
 * True when the gateway has no such procedure (e.g. `usage.summary` on a gateway without usage
 * analytics): NOT_FOUND — unlike a missing model or template, which carry MODEL_NOT_FOUND /
 * TEMPLATE_NOT_FOUND.
 */
export function isMissingProcedure(error: unknown): boolean {
  const data = (error as { data?: { code?: unknown; gatewayCode?: unknown } } | null)?.data;
  return data?.gatewayCode === 'NOT_FOUND';
}
