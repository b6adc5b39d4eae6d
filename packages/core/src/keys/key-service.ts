/**
 * Admin operations on stored keys (list, create, update, revoke), the same behind tRPC and REST.
 * Every change reloads this replica's directory and tells the others (see key-directory.ts).
 */
import { badRequest, type FieldError, GatewayError } from '../errors.js';
import { requireAdmin } from '../service/authorization.js';
import type { RequestContext } from '../service/context.js';
import type { KeyStore } from '../stores/keys/key-store.js';
import type { UsageStore } from '../stores/usage/usage-store.js';
import type { BudgetLedger } from './budget-ledger.js';
import { periodWindow } from './budget-period.js';
import type { KeyDirectory } from './key-directory.js';
import {
  type BudgetPeriod,
  hashSecret,
  isActive,
  KEY_PREFIX_LENGTH,
  type KeySettings,
  keyIdOfHash,
  newSecret,
  publicKey,
  type StoredKey,
} from './key-model.js';

export interface KeyServiceOptions {
  store: KeyStore;
  directory: KeyDirectory;
  /** Spend this period, for keys with a budget. */
  ledger?: BudgetLedger | undefined;
  /** Requests and tokens this period, for every key. */
  usage?: UsageStore | undefined;
  /** The gateway's allow-list: a key may only narrow it. */
  isModelAllowed?: (model: string) => boolean;
  /** ADMIN_API_KEYS is set: an admin exists whatever the store holds. */
  envAdmin?: boolean;
  now?: () => number;
}

/** A key as admins list it: its settings and what it used this period. */
export interface KeyView extends StoredKey {
  active: boolean;
  usage: {
    /** The budget's period, else the calendar month. */
    period: BudgetPeriod;
    since: Date;
    resetsAt: Date;
    requests: number;
    tokens: number;
    /** What the budget counted (shared across replicas); null without a budget. */
    budgetSpent: number | null;
  };
}

export type KeyCreateInput = Pick<KeySettings, 'name'> & Partial<Omit<KeySettings, 'name'>>;

export interface CreatedKey {
  id: string;
  name: string;
  prefix: string;
  /** The secret: shown this once, stored nowhere. */
  key: string;
}

export interface KeyService {
  list(ctx: RequestContext): Promise<KeyView[]>;
  create(input: KeyCreateInput, ctx: RequestContext): Promise<CreatedKey>;
  update(id: string, patch: Partial<KeySettings>, ctx: RequestContext): Promise<StoredKey>;
  revoke(id: string, ctx: RequestContext): Promise<StoredKey>;
}

export function createKeyService(options: KeyServiceOptions): KeyService {
  const { store, directory } = options;
  const now = options.now ?? Date.now;

  const check = (patch: Partial<KeySettings>, creating: boolean) => {
    const problems = settingProblems(patch, options.isModelAllowed);
    if (creating && patch.expiresAt && patch.expiresAt.getTime() <= now()) {
      problems.push({ path: 'expiresAt', message: 'must be in the future' });
    }
    if (problems.length > 0) throw badRequest(problems);
  };

  /** CONFLICT when another active key already has the name. */
  const requireFreeName = (keys: readonly StoredKey[], name: string, except?: string) => {
    if (keys.some((k) => k.name === name && k.id !== except && k.revokedAt === null)) {
      throw conflict(name);
    }
  };

  /**
   * Once a key exists, callers need one; without ADMIN_API_KEYS, a store whose active keys include
   * no admin key leaves nobody able to manage keys (or pull models, or read usage) short of a
   * restart with ADMIN_API_KEYS. A change that would get there is refused: the first key must be
   * an admin key, and the last admin key can be neither revoked, demoted nor expired while other
   * keys remain. Changes run under the store's lock (`exclusive`), so two admins revoking the
   * last two admin keys at once cannot both pass.
   */
  const keepAnAdmin = (after: readonly StoredKey[]) => {
    if (options.envAdmin) return;
    const at = now();
    const active = after.filter((k) => isActive(k, at));
    if (active.length === 0 || active.some((k) => k.admin)) return;
    throw new GatewayError(
      'CONFLICT',
      'No admin key would remain, so nobody could manage keys: create an admin key first (or set ADMIN_API_KEYS)',
    );
  };

  const found = <T>(key: T | undefined, id: string): T => {
    if (key) return key;
    throw new GatewayError('NOT_FOUND', `No API key with id ${id}`, { details: { id } });
  };

  return {
    async list(ctx) {
      requireAdmin(ctx.caller, 'keys.manage');
      const keys = await store.list();
      const at = now();
      const usage = await usageThisPeriod(options.usage, at);
      return Promise.all(
        keys.map(async (record) => {
          const period = record.budget?.period ?? 'month';
          const window = periodWindow(period, at);
          const row = usage[period].get(record.id);
          const budgetSpent =
            record.budget && options.ledger
              ? await options.ledger.spent(record.id, period).catch(() => null)
              : null;
          return {
            ...publicKey(record),
            active: isActive(record, at),
            usage: {
              period,
              since: window.startsAt,
              resetsAt: window.resetsAt,
              requests: row?.requests ?? 0,
              tokens: row?.tokens ?? 0,
              budgetSpent,
            },
          };
        }),
      );
    },

    async create(input, ctx) {
      requireAdmin(ctx.caller, 'keys.manage');
      check(input, true);
      const key = newSecret();
      const hash = hashSecret(key);
      const record = {
        id: keyIdOfHash(hash),
        name: input.name,
        prefix: key.slice(0, KEY_PREFIX_LENGTH),
        hash,
        admin: input.admin ?? false,
        models: input.models ?? null,
        rpm: input.rpm ?? null,
        tpm: input.tpm ?? null,
        budget: input.budget ?? null,
        expiresAt: input.expiresAt ?? null,
        createdAt: new Date(now()),
        revokedAt: null,
        lastUsedAt: null,
      };
      await store.exclusive(async () => {
        const keys = await store.list();
        requireFreeName(keys, input.name);
        keepAnAdmin([...keys, record]);
        await store.insert(record);
      });
      await directory.changed(record.id);
      return { id: record.id, name: record.name, prefix: record.prefix, key };
    },

    async update(id, patch, ctx) {
      requireAdmin(ctx.caller, 'keys.manage');
      check(patch, false);
      const updated = await store.exclusive(async () => {
        const keys = await store.list();
        if (patch.name !== undefined) requireFreeName(keys, patch.name, id);
        keepAnAdmin(keys.map((k) => (k.id === id ? { ...k, ...patch } : k)));
        return found(await store.update(id, patch), id);
      });
      await directory.changed(id);
      return publicKey(updated);
    },

    async revoke(id, ctx) {
      requireAdmin(ctx.caller, 'keys.manage');
      const revoked = await store.exclusive(async () => {
        keepAnAdmin((await store.list()).filter((k) => k.id !== id));
        return found(await store.revoke(id, new Date(now())), id);
      });
      await directory.changed(id);
      return publicKey(revoked);
    },
  };
}

/** Core's own checks (transports validate shapes first; embedders may not). */
function settingProblems(
  patch: Partial<KeySettings>,
  isModelAllowed: ((model: string) => boolean) | undefined,
): FieldError[] {
  const problems: FieldError[] = [];
  const count = (n: number | null | undefined) =>
    n === null || n === undefined || (Number.isInteger(n) && n >= 0);
  if (patch.name !== undefined && !/^\S(.{0,62}\S)?$/.test(patch.name)) {
    problems.push({ path: 'name', message: 'must be 1-64 characters, not blank at either end' });
  }
  if (!count(patch.rpm)) problems.push({ path: 'rpm', message: 'must be a whole number ≥ 0' });
  if (!count(patch.tpm)) problems.push({ path: 'tpm', message: 'must be a whole number ≥ 0' });
  if (patch.budget && !(Number.isInteger(patch.budget.tokens) && patch.budget.tokens > 0)) {
    problems.push({ path: 'budget.tokens', message: 'must be a whole number ≥ 1' });
  }
  patch.models?.forEach((model, i) => {
    if (!model.trim()) problems.push({ path: `models.${i}`, message: 'must not be empty' });
    else if (isModelAllowed && !isModelAllowed(model)) {
      problems.push({ path: `models.${i}`, message: `"${model}" is not allowed on this gateway` });
    }
  });
  return problems;
}

function conflict(name: string): GatewayError {
  return new GatewayError('CONFLICT', `An active API key is already named "${name}"`);
}

type PeriodUsage = Map<string, { requests: number; tokens: number }>;

/** Requests and tokens per key since the start of today and of this month. */
async function usageThisPeriod(
  store: UsageStore | undefined,
  at: number,
): Promise<Record<BudgetPeriod, PeriodUsage>> {
  const read = async (period: BudgetPeriod): Promise<PeriodUsage> => {
    const rows = store
      ? await store
          .summary({ groupBy: 'key', from: periodWindow(period, at).startsAt })
          .catch(() => [])
      : [];
    return new Map(
      rows.flatMap((r) =>
        r.group === null ? [] : [[r.group, { requests: r.requests, tokens: r.totalTokens }]],
      ),
    );
  };
  const [day, month] = await Promise.all([read('day'), read('month')]);
  return { day, month };
}
