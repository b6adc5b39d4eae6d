/** How much work each mode does. `pnpm bench` = short; CI = BENCH_SMOKE=1; BENCH_LONG=1 = soak. */
export interface Mode {
  name: 'smoke' | 'short' | 'long';
  /** Alternating direct/gateway repetitions per row (samples are pooled across them). */
  reps: number;
  /** Requests per round, by concurrency (a round = one side of one repetition). */
  requestsAt(concurrency: number, kind: 'request' | 'stream'): number;
  warmupRequests: number;
  maxRoundMs: number;
  /** Smoke mode runs each scenario at one concurrency only. */
  concurrencyFilter(levels: number[]): number[];
  /** Longest wait for the RSS to come back after the load. */
  settleMs: number;
  /** Requests in the memory soak (long mode only). */
  soakRequests: number;
  /** Stream counts of the many-streams rows. */
  manyStreams: number[];
}

export function modeFromEnv(env: NodeJS.ProcessEnv = process.env): Mode {
  if (env.BENCH_SMOKE === '1') {
    return {
      name: 'smoke',
      reps: 1,
      requestsAt: (c) => Math.max(8, c * 2),
      warmupRequests: 4,
      maxRoundMs: 5_000,
      concurrencyFilter: (levels) => levels.slice(0, 1).map((c) => Math.min(c, 4)),
      settleMs: 2_000,
      soakRequests: 0,
      manyStreams: [20],
    };
  }
  const long = env.BENCH_LONG === '1';
  return {
    name: long ? 'long' : 'short',
    reps: 2,
    requestsAt: (c, kind) =>
      kind === 'stream' ? (c === 1 ? 20 : 160) : c === 1 ? 500 : c <= 16 ? 1_500 : 2_500,
    warmupRequests: 150,
    maxRoundMs: 800,
    settleMs: long ? 40_000 : 30_000,
    concurrencyFilter: (levels) => levels,
    soakRequests: long ? 100_000 : 0,
    manyStreams: [100, 1_000, 3_000],
  };
}
