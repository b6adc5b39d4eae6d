import { z } from 'zod';

/** Input and output of `usage.summary`. Plain zod only. */

/** An ISO-8601 date-time string (a Date given to the SDK travels as one) or a Date (server-side
 * callers). */
const instantSchema = z.union([
  z.date(),
  z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time' }),
]);

export const usageSummaryInputSchema = z
  .object({
    /** Inclusive lower bound; open when absent. */
    from: instantSchema.optional(),
    /** Exclusive upper bound; open when absent. */
    to: instantSchema.optional(),
    groupBy: z.enum(['key', 'model', 'template', 'day']),
  })
  .refine((q) => !q.from || !q.to || new Date(q.from) <= new Date(q.to), {
    message: 'must not be after `to`',
    path: ['from'],
  });

export const usageSummaryRowSchema = z.object({
  /** API key id, model, `templateId@version` or UTC day `YYYY-MM-DD`; null = anonymous / none. */
  group: z.string().nullable(),
  requests: z.number(),
  promptTokens: z.number(),
  completionTokens: z.number(),
  totalTokens: z.number(),
  cachedRequests: z.number(),
  errorRequests: z.number(),
  avgDurationMs: z.number(),
  avgTtftMs: z.number().nullable(),
});

export const usageSummaryOutputSchema = z.object({
  groupBy: z.enum(['key', 'model', 'template', 'day']),
  rows: z.array(usageSummaryRowSchema),
});

export type UsageSummaryInput = z.input<typeof usageSummaryInputSchema>;
export type UsageSummaryOutput = z.infer<typeof usageSummaryOutputSchema>;
