/** Process-level state the routers and the server share: start time, version, shutdown. */
export interface GatewayState {
  readonly version: string;
  readonly startedAt: number;
  /** Set first on SIGTERM/SIGINT: readiness turns false before anything else stops. */
  shuttingDown: boolean;
  /** True when API keys are configured (callers without one get UNAUTHORIZED). */
  authRequired: boolean;
}

export const GATEWAY_VERSION = '0.1.0';

export function createGatewayState(authRequired = false): GatewayState {
  return { version: GATEWAY_VERSION, startedAt: Date.now(), shuttingDown: false, authRequired };
}
