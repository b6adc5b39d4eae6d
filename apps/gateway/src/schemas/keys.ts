import { z } from 'zod';

/** Inputs and outputs of the `keys` router (stored API keys; admin only). Plain zod only. */

const limitSchema = z
  .number()
  .int('must be a whole number')
  .min(0, 'must be ≥ 0')
  .nullable()
  .describe('Per minute; 0 = unlimited, null = the gateway default (RATE_LIMIT_*).');

export const keyBudgetSchema = z.object({
  tokens: z.number().int('must be a whole number').min(1, 'must be ≥ 1'),
  period: z.enum(['day', 'month']).describe('UTC day or calendar month.'),
});

const keySettingsSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(64, 'must be at most 64 characters')
    .describe('Shown in lists and usage; unique among active keys.'),
  admin: z.boolean().describe('Admin scope: model pulls, template writes, usage, keys.'),
  models: z
    .array(z.string().trim().min(1, 'must not be empty'))
    .min(1, 'list at least one model, or null for every allowed model')
    .nullable()
    .describe('Models this key may use; null = every model the gateway allows.'),
  rpm: limitSchema,
  tpm: limitSchema,
  budget: keyBudgetSchema.nullable().describe('Tokens per period; null = no budget.'),
  expiresAt: z.iso
    .datetime({ offset: true, error: 'must be an ISO-8601 date-time' })
    .nullable()
    .describe('After this the key stops working; null = never.'),
});

export const keyCreateInputSchema = keySettingsSchema.partial().required({ name: true });

export const keyIdSchema = z
  .string()
  .regex(/^key_[0-9a-f]{12}$/, 'must be a key id (key_ and 12 hex digits)');

export const keyUpdateInputSchema = keySettingsSchema.partial().extend({ id: keyIdSchema });
export const keyIdInputSchema = z.object({ id: keyIdSchema });

export const storedKeySchema = z.object({
  id: z.string().describe('Non-secret id; usage records name keys by it.'),
  name: z.string(),
  prefix: z.string().describe('The secret’s first characters, to recognise it.'),
  admin: z.boolean(),
  models: z.array(z.string()).nullable(),
  rpm: z.number().nullable(),
  tpm: z.number().nullable(),
  budget: keyBudgetSchema.nullable(),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable().describe('Written in batches: up to ~10 s behind.'),
});

export const keyViewSchema = storedKeySchema.extend({
  active: z.boolean().describe('Neither revoked nor expired.'),
  usage: z.object({
    period: z.enum(['day', 'month']).describe('The budget’s period, else the month.'),
    since: z.string(),
    resetsAt: z.string(),
    requests: z.number(),
    tokens: z.number(),
    budgetSpent: z.number().nullable().describe('What the budget counted; null without one.'),
  }),
});

export const createdKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  key: z.string().describe('The secret: shown this once, stored nowhere.'),
});

export type KeyView = z.infer<typeof keyViewSchema>;
export type StoredKeyOutput = z.infer<typeof storedKeySchema>;
