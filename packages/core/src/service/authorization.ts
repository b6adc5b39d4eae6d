/**
 * Who may do what, decided in core so every door and adapter (tRPC, `/v1`, `/api`, the fetch
 * handler, an embedding application) gets the same answer without having to remember it.
 * Transports may refuse earlier (tRPC's adminProcedure does), never instead.
 */
import { GatewayError } from '../errors.js';
import type { Caller } from './context.js';

/** Operations only the admin scope may run; the name appears in the FORBIDDEN message. */
export type AdminOperation =
  | 'models.pull'
  | 'models.delete'
  | 'templates.write'
  | 'usage.summary'
  | 'keys.manage'
  | 'requests.read';

/** Throws FORBIDDEN unless the caller holds the admin scope. */
export function requireAdmin(caller: Caller, operation: AdminOperation): void {
  if (caller.admin) return;
  throw new GatewayError('FORBIDDEN', `${operation} needs an admin API key`, {
    details: { operation },
  });
}
