import { z } from 'zod';

export const liveOutputSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  uptimeSeconds: z.number(),
});

export const upstreamHealthSchema = z.object({
  id: z.string(),
  kind: z.enum(['ollama', 'embedded']),
  healthy: z.boolean(),
  version: z.string().optional().describe("The upstream's own version (Ollama's /api/version)."),
  inFlight: z.number().describe('Requests running on it now.'),
  queued: z.number().describe('Requests waiting for a slot on it.'),
  lastError: z.string().optional(),
  lastCheckedAt: z.string().optional(),
});

export const readyOutputSchema = z.object({
  /** False while shutting down, when no upstream is usable, or when the store is down. */
  ready: z
    .boolean()
    .describe('False while shutting down, when no upstream is usable, or when the store is down.'),
  shuttingDown: z.boolean(),
  upstreams: z.array(upstreamHealthSchema),
  store: z.object({ ok: z.boolean(), error: z.string().optional() }),
});

export type ReadyOutput = z.infer<typeof readyOutputSchema>;
