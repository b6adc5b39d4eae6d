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

/** `authRequired` may be live (stored keys turn auth on when the first one is created). */
export function createGatewayState(authRequired: boolean | (() => boolean) = false): GatewayState {
  const state = { version: GATEWAY_VERSION, startedAt: Date.now(), shuttingDown: false };
  if (typeof authRequired === 'boolean') return { ...state, authRequired };
  return Object.defineProperty(state, 'authRequired', {
    get: authRequired,
    enumerable: true,
  }) as GatewayState;
}
