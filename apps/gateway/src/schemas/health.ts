import { z } from 'zod';

export const liveOutputSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  uptimeSeconds: z.number(),
  /** Whether calls need an API key (a UI asks for one before calling anything else). */
  authRequired: z.boolean(),
});

export const upstreamHealthSchema = z.object({
  id: z.string(),
  kind: z.enum(['ollama', 'embedded']),
  healthy: z.boolean(),
  version: z.string().optional(),
  inFlight: z.number(),
  queued: z.number(),
  lastError: z.string().optional(),
  lastCheckedAt: z.string().optional(),
});

export const readyOutputSchema = z.object({
  /** False while shutting down, when no upstream is usable, or when the store is down. */
  ready: z.boolean(),
  shuttingDown: z.boolean(),
  upstreams: z.array(upstreamHealthSchema),
  store: z.object({ ok: z.boolean(), error: z.string().optional() }),
});

export type ReadyOutput = z.infer<typeof readyOutputSchema>;
