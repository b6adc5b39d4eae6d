import { badRequest } from '../../errors.js';
import type { KeepAlive } from '../../types.js';

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Ollama's keep_alive → milliseconds: a number is seconds, a string is a Go duration
 * (`"5m"`, `"1h30m"`, `"0"`, `"-1"`); negative means "keep loaded forever" (Infinity).
 */
export function keepAliveMs(value: KeepAlive, field = 'keepAlive'): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw badRequest([{ path: field, message: 'must be finite' }]);
    return value < 0 ? Number.POSITIVE_INFINITY : value * 1000;
  }
  const text = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return keepAliveMs(Number(text), field);
  const match = /^(-?)((?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/.exec(text);
  if (!match) {
    throw badRequest([
      { path: field, message: `invalid duration "${value}" (e.g. "5m", "30s", 0)` },
    ]);
  }
  if (match[1] === '-') return Number.POSITIVE_INFINITY;
  let total = 0;
  for (const part of (match[2] ?? '').matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(part[1]) * (UNIT_MS[part[2] ?? 's'] ?? 1000);
  }
  return total;
}
