/** Process-level state the routers and the server share: start time, version, shutdown. */
export interface GatewayState {
  readonly version: string;
  readonly startedAt: number;
  /** Set first on SIGTERM/SIGINT: readiness turns false before anything else stops. */
  shuttingDown: boolean;
}

export const GATEWAY_VERSION = '0.1.0';

export function createGatewayState(): GatewayState {
  return { version: GATEWAY_VERSION, startedAt: Date.now(), shuttingDown: false };
}
