import { z } from 'zod';

export const liveOutputSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  uptimeSeconds: z.number(),
  /** Whether calls need an API key (a UI asks for one before calling anything else). */
  authRequired: z.boolean(),
});

export const upstreamHealthSchema = z.object({
  /** The upstream's name (`ollama-1`, `gpu1`, `embedded`). */
  id: z.string(),
  kind: z.enum(['ollama', 'embedded']),
  healthy: z.boolean(),
  /** Admin keys only: where it runs, its version and its last error. */
  url: z.string().optional().describe('Where it runs (admin keys only).'),
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
  /** Absent without a valid API key (when keys are configured). */
  upstreams: z.array(upstreamHealthSchema).optional(),
  /** Absent without a valid API key; `error` for admin keys only. */
  store: z.object({ ok: z.boolean(), error: z.string().optional() }).optional(),
});

export type ReadyOutput = z.infer<typeof readyOutputSchema>;
