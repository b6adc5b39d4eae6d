import type { Operation } from '../load.js';

/** What a scenario needs to build its operations. */
export interface Targets {
  fakeUrl: string;
  gatewayUrl: string;
  /** The floor: a bare keep-alive node:http proxy in front of the fake (floor-proxy.mjs). */
  floorUrl: string;
}

/** One comparison: the same logical request sent directly to the fake and through the gateway. */
export interface Scenario {
  id: string;
  /** What the row measures and with which client. */
  title: string;
  kind: 'request' | 'stream';
  /** Concurrency levels in the full run (smoke runs use the first one only). */
  concurrency: number[];
  /** Spaced stream chunks (ms) for streaming scenarios, so time-to-first-token means something. */
  chunkDelayMs?: number;
  /** Gateway env for this row only (it then gets its own gateway process), e.g. the cache on. */
  gatewayEnv?: Record<string, string> | ((fakeUrl: string) => Record<string, string>);

  /** Resolves with why the row cannot run against this gateway (it is then reported n/a). */
  unavailable?(targets: Targets): Promise<string | undefined>;
  direct(targets: Targets): Operation;
  gateway(targets: Targets): Operation;
  /** The same request through the floor proxy (rows whose path a bare proxy can forward). */
  floor?(targets: Targets): Operation;
}

let counter = 0;
/** A unique prompt per request, so a response cache can never turn a miss row into hits. */
export function uniquePrompt(): string {
  counter = (counter + 1) % 1_000_000_000;
  return `Say hello to request number ${counter} please`;
}

/** A fixed prompt: the cache-hit row sends the same request every time. */
export const FIXED_PROMPT = 'Say hello to the cache please';
