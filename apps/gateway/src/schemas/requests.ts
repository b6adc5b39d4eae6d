import { z } from 'zod';

/** Input and output of `requests.list` / `requests.get` (the request log). Plain zod only. */

const instantSchema = z.union([
  z.date(),
  z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time' }),
]);

export const doorSchema = z.enum(['trpc', 'rest', 'openai', 'anthropic', 'ollama']);

export const requestsListInputSchema = z
  .object({
    model: z.string().min(1).max(200).optional().describe('Model asked for or served.'),
    key: z.string().min(1).max(200).optional().describe("A key's name or id."),
    code: z
      .string()
      .regex(/^[A-Za-z_]{1,40}$/, 'must be a gateway error code or `ok`')
      .optional()
      .describe('A gateway error code, or `ok` for requests that succeeded.'),
    door: doorSchema.optional(),
    since: instantSchema.optional().describe('Inclusive lower bound of the arrival time.'),
    until: instantSchema.optional().describe('Exclusive upper bound of the arrival time.'),
    cursor: z
      .string()
      .regex(/^\d{1,20}(\.\d{1,20})?$/, "must be a previous page's nextCursor")
      .optional(),
    limit: z.number().int().min(1).max(500).optional().describe('Page size (default 50).'),
  })
  .refine((q) => !q.since || !q.until || new Date(q.since) <= new Date(q.until), {
    message: 'must not be after `until`',
    path: ['since'],
  });

export const timelineStepSchema = z.object({
  name: z.string().describe('rate_limit, cache, queue, upstream, first_token or done'),
  startMs: z.number().describe('ms after the request arrived'),
  endMs: z.number().optional(),
  detail: z.string().optional().describe('The upstream, or hit/miss of the cache'),
  error: z.string().optional(),
});

export const requestLogEntrySchema = z.object({
  id: z.string().describe('The request id (x-request-id)'),
  at: z.string().describe('Arrival, ISO 8601'),
  door: doorSchema,
  route: z.string(),
  operation: z.enum(['chat', 'generate', 'embed']).optional(),
  keyId: z.string().nullable(),
  keyName: z.string().optional(),
  model: z.string().optional().describe('Model asked for'),
  servedModel: z.string().optional().describe('Model that answered'),
  upstream: z.string().optional(),
  status: z.number().describe('HTTP status'),
  code: z.string().optional().describe('Gateway error code of a failed request'),
  stream: z.boolean(),
  promptTokens: z.number().optional(),
  completionTokens: z.number().optional(),
  ttftMs: z.number().optional(),
  durationMs: z.number(),
  cached: z.boolean(),
  template: z.string().optional().describe('id@version'),
  traceId: z.string().optional(),
  timeline: z.array(timelineStepSchema),
  prompt: z.unknown().optional().describe('Only with LOG_PROMPTS=true'),
  completion: z.string().optional().describe('Only with LOG_PROMPTS=true'),
});

export const requestsListOutputSchema = z.object({
  items: z.array(requestLogEntrySchema).describe('Newest first'),
  nextCursor: z.string().optional(),
});

export const requestsGetInputSchema = z.object({
  id: z.string().min(1).max(128),
});

export type RequestsListInput = z.infer<typeof requestsListInputSchema>;
export type RequestLogEntryOutput = z.infer<typeof requestLogEntrySchema>;
