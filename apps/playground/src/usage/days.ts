import type { UsageRow } from './use-usage.js';

export const DAY = 86_400_000;
export const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Every day of the range, with its row when there was traffic (so gaps show as zero). */
export function fillDays(
  rows: UsageRow[],
  from: Date,
  to: Date,
): { day: string; row?: UsageRow }[] {
  const byDay = new Map(rows.map((r) => [r.group ?? '', r]));
  const out: { day: string; row?: UsageRow }[] = [];
  for (let t = from.getTime(); t < to.getTime() && out.length < 366; t += DAY) {
    const day = isoDay(new Date(t));
    const row = byDay.get(day);
    out.push(row ? { day, row } : { day });
  }
  return out;
}
