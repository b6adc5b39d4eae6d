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
    from: instantSchema.optional().describe('Inclusive lower bound; open when absent.'),
    /** Exclusive upper bound; open when absent. */
    to: instantSchema.optional().describe('Exclusive upper bound; open when absent.'),
    groupBy: z
      .enum(['key', 'model', 'template', 'day'])
      .describe('One row per API key, model, template@version or UTC day.'),
  })
  .refine((q) => !q.from || !q.to || new Date(q.from) <= new Date(q.to), {
    message: 'must not be after `to`',
    path: ['from'],
  });

export const usageSummaryRowSchema = z.object({
  /** API key id, model, `templateId@version` or UTC day `YYYY-MM-DD`; null = anonymous / none. */
  group: z
    .string()
    .nullable()
    .describe('API key id, model, `templateId@version` or UTC day; null = anonymous / none.'),
  name: z
    .string()
    .nullable()
    .optional()
    .describe('Grouped by key: the stored key’s name; null for env keys and anonymous callers.'),
  requests: z.number(),
  promptTokens: z.number(),
  completionTokens: z.number(),
  totalTokens: z.number(),
  cachedRequests: z.number().describe('Answered from the response cache.'),
  errorRequests: z.number().describe('Ended with an error code.'),
  avgDurationMs: z.number(),
  avgTtftMs: z.number().nullable().describe('Mean time to first token of streamed requests.'),
});

export const usageSummaryOutputSchema = z.object({
  groupBy: z.enum(['key', 'model', 'template', 'day']),
  rows: z.array(usageSummaryRowSchema),
});

export type UsageSummaryInput = z.input<typeof usageSummaryInputSchema>;
export type UsageSummaryOutput = z.infer<typeof usageSummaryOutputSchema>;
