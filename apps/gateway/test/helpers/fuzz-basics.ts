/** Shared bits of the fuzz helpers: the request shape, a seeded PRNG and junk values. */

export interface FuzzRequest {
  method: string;
  /** Raw request target: sent as is, not normalised by a URL parser. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** mulberry32: small, seedable, good enough to pick cases. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}

export type Random = ReturnType<typeof createRandom>;

/** Values of the wrong type, out of bounds or odd, for any field. */
export const WEIRD_VALUES: unknown[] = [
  null,
  true,
  -1,
  0,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  0.5,
  '',
  'x',
  '-1',
  '5m',
  'forever',
  [],
  [null],
  {},
  { __proto__: { admin: true } },
  'a'.repeat(5000),
  '\u0000',
  '\uD800',
];

/** A JSON structure nested `depth` levels deep (arrays or objects). */
export function deep(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array'
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}
