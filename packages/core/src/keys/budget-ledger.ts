/**
 * Token budgets per key and period. A request is admitted while the key's spend this period is
 * below its budget (so one request's worth over at most, per replica racing it), and charged
 * with its real token count once it settles — as the rate limiter settles its reservations.
 */
import type { Redis } from 'ioredis';
import { isGatewayError } from '../errors.js';
import type { BackendLog } from '../limits/lease.js';
import { budgetExceeded, periodWindow } from './budget-period.js';
import type { BudgetPeriod, KeyBudget } from './key-model.js';

export interface BudgetLedger {
  /** Throws BUDGET_EXCEEDED when the key already spent its budget this period. */
  admit(keyId: string, budget: KeyBudget): Promise<void>;
  /** Adds tokens to the key's spend this period. Never throws. */
  charge(keyId: string, period: BudgetPeriod, tokens: number): Promise<void>;
  /** Tokens spent this period. */
  spent(keyId: string, period: BudgetPeriod): Promise<number>;
}

/** One replica's ledger: the default without Valkey, and the fallback while it is away. */
export class MemoryBudgetLedger implements BudgetLedger {
  /** Per period, the spend of the current one only: a new period starts from an empty map. */
  private readonly periods = new Map<BudgetPeriod, { name: string; spend: Map<string, number> }>();

  constructor(private readonly now: () => number = Date.now) {}

  async admit(keyId: string, budget: KeyBudget): Promise<void> {
    const spent = this.current(budget.period).get(keyId) ?? 0;
    if (spent >= budget.tokens) {
      throw budgetExceeded(budget, spent, periodWindow(budget.period, this.now()), this.now());
    }
  }

  async charge(keyId: string, period: BudgetPeriod, tokens: number): Promise<void> {
    if (!(tokens > 0)) return;
    const spend = this.current(period);
    spend.set(keyId, (spend.get(keyId) ?? 0) + Math.ceil(tokens));
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

  async admit(keyId: string, budget: KeyBudget): Promise<void> {
    try {
      const spent = await this.spent(keyId, budget.period);
      if (spent >= budget.tokens) {
        throw budgetExceeded(budget, spent, periodWindow(budget.period, this.now()), this.now());
      }
    } catch (error) {
      if (isGatewayError(error)) throw error;
      this.fellBack(error);
      await this.memory.admit(keyId, budget);
    }
  }

  async charge(keyId: string, period: BudgetPeriod, tokens: number): Promise<void> {
    if (!(tokens > 0)) return;
    const window = periodWindow(period, this.now());
    const key = `${this.prefix}{${keyId}}:${window.name}`;
    try {
      await this.redis
        .multi()
        .incrby(key, Math.ceil(tokens))
        .pexpireat(key, window.resetsAt.getTime() + 86_400_000)
        .exec();
    } catch (error) {
      this.fellBack(error);
      await this.memory.charge(keyId, period, tokens);
    }
  }

  async spent(keyId: string, period: BudgetPeriod): Promise<number> {
    const window = periodWindow(period, this.now());
    const value = await this.redis.get(`${this.prefix}{${keyId}}:${window.name}`);
    return Number(value ?? 0) + (await this.memory.spent(keyId, period));
  }

  private fellBack(error: unknown): void {
    if (this.warned) return;
    this.warned = true;
    this.log?.('warn', 'budgets counted per replica: Valkey unreachable', { error: String(error) });
  }
}
