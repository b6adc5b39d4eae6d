import { GatewayError } from '../errors.js';
import type { BudgetPeriod, KeyBudget } from './key-model.js';

/** The current budget period (UTC): its name (`2026-11-30`, `2026-11`), start and end. */
export interface PeriodWindow {
  name: string;
  startsAt: Date;
  resetsAt: Date;
}

export function periodWindow(period: BudgetPeriod, now = Date.now()): PeriodWindow {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  if (period === 'day') {
    const startsAt = new Date(Date.UTC(y, m, d.getUTCDate()));
    return {
      name: startsAt.toISOString().slice(0, 10),
      startsAt,
      resetsAt: new Date(startsAt.getTime() + 86_400_000),
    };
  }
  const startsAt = new Date(Date.UTC(y, m, 1));
  return {
    name: startsAt.toISOString().slice(0, 7),
    startsAt,
    resetsAt: new Date(Date.UTC(y, m + 1, 1)),
  };
}

/** BUDGET_EXCEEDED (429) saying when the budget resets, as a date and as a wait. */
export function budgetExceeded(
  budget: KeyBudget,
  spent: number,
  window: PeriodWindow,
  now = Date.now(),
) {
  const retryAfterSeconds = Math.max(1, Math.ceil((window.resetsAt.getTime() - now) / 1000));
  return new GatewayError(
    'BUDGET_EXCEEDED',
    `This API key used ${spent} of its ${budget.tokens} tokens this ${budget.period}; it resets at ${window.resetsAt.toISOString()}`,
    { retryAfterSeconds, details: { resetsAt: window.resetsAt.toISOString() } },
  );
}
