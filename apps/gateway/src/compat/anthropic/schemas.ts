import { z } from 'zod';

/** Anthropic Messages API request body, as much as maps to Ollama's chat. Unknown fields are
 * ignored (SDKs and Claude Code send extras such as `cache_control`); known ones are checked and
 * named on error. Block types that cannot be mapped are refused by name, never dropped. */

const base64Image = z.object({
  type: z.literal('base64'),
  media_type: z.string(),
  data: z
    .string()
    .min(1, 'must not be empty')
    .regex(/^[A-Za-z0-9+/\s]*={0,2}\s*$/, 'must be base64'),
});

const imageSource = z.discriminatedUnion('type', [
  base64Image,
  z.object({ type: z.literal('url'), url: z.string() }),
  z.object({ type: z.literal('file'), file_id: z.string() }),
]);

const textBlock = z.object({ type: z.literal('text'), text: z.string() });
const imageBlock = z.object({ type: z.literal('image'), source: imageSource });

const toolResultBlock = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1, 'must not be empty'),
  content: z
    .union([z.string(), z.array(z.discriminatedUnion('type', [textBlock, imageBlock]))])
    .optional(),
  is_error: z.boolean().optional(),
});

const contentBlock = z.discriminatedUnion('type', [
  textBlock,
  imageBlock,
  z.object({
    type: z.literal('tool_use'),
    id: z.string().min(1, 'must not be empty'),
    name: z.string().min(1, 'must not be empty'),
    input: z.record(z.string(), z.unknown()),
  }),
  toolResultBlock,
  z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string().optional() }),
  // Encrypted thinking of Anthropic's own models: nothing a local model can read; skipped.
  z.object({ type: z.literal('redacted_thinking'), data: z.string() }),
]);

export const anthropicMessageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(contentBlock)]),
});

const tool = z.object({
  /** Absent or `custom`: a client tool. Anthropic's server tools (`web_search_…`, `bash_…`)
   * run on Anthropic's side and have no local equivalent. */
  type: z.literal('custom', 'only client tools (type "custom") are supported').optional(),
  name: z.string().min(1, 'must not be empty'),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()),
});

const thinking = z.discriminatedUnion('type', [
  z.object({ type: z.literal('enabled'), budget_tokens: z.number().int().positive().optional() }),
  z.object({ type: z.literal('disabled') }),
  z.object({ type: z.literal('adaptive') }),
]);

export const messagesBodySchema = z.object({
  model: z.string().trim().min(1, 'must not be empty'),
  max_tokens: z
    .number({ error: (issue) => (issue.input === undefined ? 'is required' : undefined) })
    .int()
    .positive(),
  messages: z.array(anthropicMessageSchema).min(1, 'must contain at least one message'),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  stream: z.boolean().nullish(),
  temperature: z.number().min(0).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  top_k: z.number().int().positive().nullish(),
  stop_sequences: z.array(z.string()).max(16).nullish(),
  tools: z.array(tool).nullish(),
  tool_choice: z
    .object({ type: z.enum(['auto', 'any', 'tool', 'none']), name: z.string().optional() })
    .nullish(),
  thinking: thinking.nullish(),
  output_config: z
    .object({
      /** Newer clients' effort knob; used when `thinking` does not say (as Ollama does). */
      effort: z.enum(['low', 'medium', 'high', 'xhigh', 'max']).nullish(),
      /** Structured outputs: the schema becomes Ollama's `format`. */
      format: z
        .object({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) })
        .nullish(),
    })
    .nullish(),
  /** Accepted for compatibility; the gateway attributes usage to the API key, not `user_id`. */
  metadata: z.object({ user_id: z.string().nullish() }).nullish(),
});

export type MessagesBody = z.infer<typeof messagesBodySchema>;
export type AnthropicMessage = z.infer<typeof anthropicMessageSchema>;
export type ImageSource = z.infer<typeof imageSource>;
export type ToolResultBlock = z.infer<typeof toolResultBlock>;
