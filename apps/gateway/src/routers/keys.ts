import type { KeyCreateInput, KeyService, KeySettings, StoredKey } from '@intellicore/llm-core';
import {
  createdKeySchema,
  keyCreateInputSchema,
  keyIdInputSchema,
  keyUpdateInputSchema,
  keyViewSchema,
  type StoredKeyOutput,
  storedKeySchema,
} from '../schemas/index.js';
import { adminProcedure, router } from '../trpc.js';
import { configured, coreContext, type RouterDeps } from './deps.js';

const keysOf = (deps: RouterDeps): KeyService =>
  configured(deps.keys?.service, 'Stored keys are not configured');

/** The wire carries ISO strings, not Dates. */
const iso = (at: Date | null) => (at === null ? null : at.toISOString());

function keyOutput(key: StoredKey): StoredKeyOutput {
  return {
    ...key,
    expiresAt: iso(key.expiresAt),
    createdAt: key.createdAt.toISOString(),
    revokedAt: iso(key.revokedAt),
    lastUsedAt: iso(key.lastUsedAt),
  };
}

/** ISO expiry → Date; every other setting passes as given. */
function settings<T extends { expiresAt?: string | null | undefined }>(
  input: T,
): Omit<T, 'expiresAt'> & { expiresAt?: Date | null } {
  const { expiresAt, ...rest } = input;
  if (expiresAt === undefined) return rest;
  return { ...rest, expiresAt: expiresAt === null ? null : new Date(expiresAt) };
}

/** Stored API keys (admin only; core refuses a non-admin caller itself, adminProcedure first). */
export function createKeysRouter(deps: RouterDeps) {
  return router({
    list: adminProcedure
      .meta({
        description:
          'Stored API keys (admin): settings, prefix (never the secret), and requests and tokens this period.',
      })
      .output(keyViewSchema.array())
      .query(async ({ ctx, signal }) => {
        const keys = await keysOf(deps).list(coreContext(ctx, signal));
        return keys.map((k) => ({
          ...keyOutput(k),
          active: k.active,
          usage: {
            ...k.usage,
            since: k.usage.since.toISOString(),
            resetsAt: k.usage.resetsAt.toISOString(),
          },
        }));
      }),

    create: adminProcedure
      .meta({
        description:
          'Creates an API key (admin) with its own models, limits, budget and expiry; the secret is in this answer only.',
      })
      .input(keyCreateInputSchema)
      .output(createdKeySchema)
      .mutation(({ input, ctx, signal }) =>
        keysOf(deps).create(settings(input) as KeyCreateInput, coreContext(ctx, signal)),
      ),

    update: adminProcedure
      .meta({
        description:
          "Changes a key's name, scope, models, limits, budget or expiry (admin); every replica applies it within a second.",
      })
      .input(keyUpdateInputSchema)
      .output(storedKeySchema)
      .mutation(async ({ input, ctx, signal }) => {
        const { id, ...patch } = settings(input);
        const key = await keysOf(deps).update(
          id,
          patch as Partial<KeySettings>,
          coreContext(ctx, signal),
        );
        return keyOutput(key);
      }),

    revoke: adminProcedure
      .meta({
        description: 'Revokes a key (admin): every replica refuses it within a second.',
      })
      .input(keyIdInputSchema)
      .output(storedKeySchema)
      .mutation(async ({ input, ctx, signal }) =>
        keyOutput(await keysOf(deps).revoke(input.id, coreContext(ctx, signal))),
      ),
  });
}
