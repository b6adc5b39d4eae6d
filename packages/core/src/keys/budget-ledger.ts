/**
 * Token budgets per key and period. A request is admitted while the key's spend this period is
 * below its budget, and reserves its estimated tokens at once, so requests running at the same
 * time see each other (without that, N concurrent requests could all start on the last token).
 * When it settles, the difference between its real token count and the estimate is charged:
 * the spend is then exact, and a key goes at most about one request's worth over.
 */
import type { Redis } from 'ioredis';
import { isGatewayError } from '../errors.js';
import type { BackendLog } from '../limits/lease.js';
import { budgetExceeded, type PeriodWindow, periodWindow } from './budget-period.js';
import type { BudgetPeriod, KeyBudget } from './key-model.js';

export interface BudgetLedger {
  /**
   * Throws BUDGET_EXCEEDED when the key already spent its budget this period; else adds
   * `reserve` (the request's estimate) to the spend.
   */
  admit(keyId: string, budget: KeyBudget, reserve?: number): Promise<void>;
  /** Adds tokens (negative: gives back an over-estimate) to the key's spend. Never throws. */
  charge(keyId: string, period: BudgetPeriod, tokens: number): Promise<void>;
  /** Tokens spent this period. */
  spent(keyId: string, period: BudgetPeriod): Promise<number>;
}

/** One replica's ledger: the default without Valkey, and the fallback while it is away. */
export class MemoryBudgetLedger implements BudgetLedger {
  /** Per period, the spend of the current one only: a new period starts from an empty map. */
  private readonly periods = new Map<BudgetPeriod, { name: string; spend: Map<string, number> }>();

  constructor(private readonly now: () => number = Date.now) {}

  async admit(keyId: string, budget: KeyBudget, reserve = 0): Promise<void> {
    const spend = this.current(budget.period);
    const spent = spend.get(keyId) ?? 0;
    if (spent >= budget.tokens) {
      throw budgetExceeded(budget, spent, periodWindow(budget.period, this.now()), this.now());
    }
    if (reserve > 0) spend.set(keyId, spent + Math.ceil(reserve));
  }

  async charge(keyId: string, period: BudgetPeriod, tokens: number): Promise<void> {
    if (tokens === 0 || !Number.isFinite(tokens)) return;
    const spend = this.current(period);
    spend.set(keyId, Math.max(0, (spend.get(keyId) ?? 0) + Math.ceil(tokens)));
  }

  async spent(keyId: string, period: BudgetPeriod): Promise<number> {
    return this.current(period).get(keyId) ?? 0;
  }

  private current(period: BudgetPeriod): Map<string, number> {
    const name = periodWindow(period, this.now()).name;
    let slot = this.periods.get(period);
    if (slot?.name !== name) {
      slot = { name, spend: new Map() };
      this.periods.set(period, slot);
    }
    return slot.spend;
  }
}

/**
 * The ledger every replica shares: one counter per key and period on Valkey (INCRBY, expiring a
 * day after the period ends). While Valkey is unreachable each replica counts in memory.
 */
export class RedisBudgetLedger implements BudgetLedger {
  private readonly memory: MemoryBudgetLedger;
  private readonly prefix: string;
  private readonly log: BackendLog | undefined;
  private readonly now: () => number;
  private warned = false;

  constructor(
    private readonly redis: Redis,
    options: {
      keyPrefix?: string | undefined;
      log?: BackendLog | undefined;
      now?: () => number;
    } = {},
  ) {
    this.prefix = `${options.keyPrefix ?? 'llmgw:'}budget:`;
    this.memory = new MemoryBudgetLedger(options.now);
    this.log = options.log;
    this.now = options.now ?? Date.now;
  }

  async admit(keyId: string, budget: KeyBudget, reserve = 0): Promise<void> {
    const tokens = Math.max(0, Math.ceil(reserve));
    const window = periodWindow(budget.period, this.now());
    try {
      // Reserve first, then look: two replicas admitting at once each see the other's share.
      const total =
        (await this.add(keyId, window, tokens)) + (await this.memory.spent(keyId, budget.period));
      const before = total - tokens;
      if (before >= budget.tokens) {
        if (tokens > 0) await this.redis.decrby(this.counter(keyId, window), tokens);
        throw budgetExceeded(budget, before, window, this.now());
      }
    } catch (error) {
      if (isGatewayError(error)) throw error;
      this.fellBack(error);
      await this.memory.admit(keyId, budget, reserve);
    }
  }

  async charge(keyId: string, period: BudgetPeriod, tokens: number): Promise<void> {
    if (tokens === 0 || !Number.isFinite(tokens)) return;
    try {
      await this.add(keyId, periodWindow(period, this.now()), Math.ceil(tokens));
    } catch (error) {
      this.fellBack(error);
      await this.memory.charge(keyId, period, tokens);
    }
  }

  async spent(keyId: string, period: BudgetPeriod): Promise<number> {
    const value = await this.redis.get(this.counter(keyId, periodWindow(period, this.now())));
    return Number(value ?? 0) + (await this.memory.spent(keyId, period));
  }

  /** The key's counter for a period (the key id in braces: one cluster slot per key). */
  private counter(keyId: string, window: PeriodWindow): string {
    return `${this.prefix}{${keyId}}:${window.name}`;
  }

  /** Adds tokens to the counter (kept a day past the period's end); its new value. */
  private async add(keyId: string, window: PeriodWindow, tokens: number): Promise<number> {
    const key = this.counter(keyId, window);
    const replies = await this.redis
      .multi()
      .incrby(key, tokens)
      .pexpireat(key, window.resetsAt.getTime() + 86_400_000)
      .exec();
    return Number(replies?.[0]?.[1] ?? 0);
  }

  private fellBack(error: unknown): void {
    if (this.warned) return;
    this.warned = true;
    this.log?.('warn', 'budgets counted per replica: Valkey unreachable', { error: String(error) });
  }
}
