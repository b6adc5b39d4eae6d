import type { MeasuredChild } from './processes/child.js';

export interface Settled {
  rss: number;
  /** How long after the load the reading was taken, ms. */
  afterMs: number;
}

/**
 * Waits for the gateway's RSS to come back after load: V8 keeps its grown heap until its memory
 * reducer runs on an idle process (seen after ~25–30 s), so a reading right after the load says
 * little. Samples every second; stops at ≤ `ratio` × idle or after `maxMs`.
 */
export async function settleRss(
  child: MeasuredChild,
  idleRss: number,
  maxMs: number,
  ratio = 1.2,
): Promise<Settled> {
  const start = Date.now();
  for (;;) {
    const rss = child.rss.sample();
    const afterMs = Date.now() - start;
    if (rss <= idleRss * ratio || afterMs >= maxMs) return { rss, afterMs };
    await new Promise((r) => setTimeout(r, 1000));
  }
}
