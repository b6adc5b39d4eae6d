import { modelOptionsSchema } from '@intellicore/llm-core';
import { z } from 'zod';

/**
 * Plain zod schemas shared by the tRPC procedures. This folder imports nothing but zod and
 * core's plain zod schemas, so the client SDK can take `type AppRouter` without dragging server
 * code into its declarations.
 */

/** Model options: core's one schema, the same bounds on every door and in templates. */
export { modelOptionsSchema };

export const modelNameSchema = z.string().trim().min(1, 'must not be empty').max(200);

export const toolCallSchema = z.object({
  function: z.object({
    index: z.number().int().nonnegative().optional(),
    name: z.string().min(1),
    arguments: z.record(z.string(), z.unknown()),
  }),
});

export const chatMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant', 'tool']).describe('Who says it.'),
  content: z.string().describe('The text of the message.'),
  /** Base64-encoded images (no data: prefix). */
  images: z
    .array(z.string())
    .optional()
    .describe('Base64-encoded images for multimodal models (no data: prefix).'),
  toolCalls: z
    .array(toolCallSchema)
    .optional()
    .describe('Function calls an earlier assistant turn asked for.'),
  /** For role `tool`: the tool whose result this is. */
  toolName: z.string().optional().describe('For role `tool`: the tool whose result this is.'),
  thinking: z.string().optional().describe("An earlier assistant turn's thinking."),
});

export const toolDefinitionSchema = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** `"json"` or a JSON Schema object. */
export const responseFormatSchema = z.union([z.literal('json'), z.record(z.string(), z.unknown())]);

/** Seconds (negative = forever) or a Go duration string (`"5m"`, `"0"`). */
export const keepAliveSchema = z.union([z.number(), z.string()]);
export const thinkSchema = z.union([z.boolean(), z.enum(['low', 'medium', 'high'])]);

/** Token counts of one answer (prompt = input, completion = output). */
export const usageSchema = z
  .object({
    promptTokens: z.number().describe('Tokens read (the prompt).'),
    completionTokens: z.number().describe('Tokens written (the answer).'),
    totalTokens: z.number().describe('Both together.'),
  })
  .describe('Token counts of the answer.');

/** Timings in milliseconds: what the gateway measured plus what the upstream reported. */
export const timingsSchema = z.object({
  /** Wall time inside the gateway, request in → result out. */
  durationMs: z.number().describe('Wall time inside the gateway, request in → result out.'),
  /** Time to first token, when known. */
  ttftMs: z.number().optional().describe('Time to the first token, when known.'),
  /** The upstream's own timings (Ollama's nanoseconds, converted). */
  totalDurationMs: z.number().optional().describe("The upstream's own total time."),
  loadDurationMs: z.number().optional().describe('Time the upstream spent loading the model.'),
  promptEvalDurationMs: z
    .number()
    .optional()
    .describe('Time the upstream spent reading the prompt.'),
  evalDurationMs: z.number().optional().describe('Time the upstream spent writing the answer.'),
});

/**
 * Set by the client when an SSE subscription reconnects (tRPC's `tracked()` ids). The gateway
 * never re-runs a generation on reconnect: it answers STREAM_INTERRUPTED instead.
 */
export const lastEventIdSchema = z
  .string()
  .optional()
  .describe(
    'Set by the client on reconnect; the gateway never re-runs a generation and answers STREAM_INTERRUPTED.',
  );

export type Usage = z.infer<typeof usageSchema>;
export type Timings = z.infer<typeof timingsSchema>;
