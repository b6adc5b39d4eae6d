import { z } from 'zod';
import { reasoningEffortSchema } from '../openai/reasoning.js';

/** OpenAI Responses API request body, stateless: what maps to one Ollama chat. Unknown fields
 * are ignored (SDKs send extras); known ones are checked and named on error; what needs stored
 * state (`previous_response_id`, `store: true`, `conversation`, `background`) is refused. */

const inputContent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('input_text'), text: z.string() }),
  z.object({ type: z.literal('output_text'), text: z.string() }),
  z.object({
    type: z.literal('input_image'),
    image_url: z.string().nullish(),
    file_id: z.string().nullish(),
    detail: z.string().optional(),
  }),
]);

const messageItem = z.object({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(inputContent)]),
  id: z.string().optional(),
  status: z.string().optional(),
});

const functionCallItem = z.object({
  type: z.literal('function_call'),
  call_id: z.string().min(1, 'must not be empty'),
  name: z.string().min(1, 'must not be empty'),
  arguments: z.string(),
  id: z.string().optional(),
  status: z.string().optional(),
});

const functionCallOutputItem = z.object({
  type: z.literal('function_call_output'),
  call_id: z.string().min(1, 'must not be empty'),
  output: z.union([z.string(), z.array(inputContent)]),
  id: z.string().optional(),
  status: z.string().optional(),
});

/** An earlier answer's thinking, sent back: summary texts (and `encrypted_content`, which this
 * gateway fills with the plain thinking text, as Ollama does). */
const reasoningItem = z.object({
  type: z.literal('reasoning'),
  id: z.string().optional(),
  summary: z.array(z.object({ type: z.literal('summary_text'), text: z.string() })).default([]),
  encrypted_content: z.string().nullish(),
});

/** A message written `{role, content}` (no `type`) is a message item, as the API allows. */
const inputItem = z.union([
  z.discriminatedUnion('type', [functionCallItem, functionCallOutputItem, reasoningItem]),
  messageItem,
]);

const tool = z.object({
  type: z.literal('function', 'only function tools are supported'),
  name: z.string().min(1, 'must not be empty'),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

const textFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    name: z.string().optional(),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().optional(),
    strict: z.boolean().nullish(),
  }),
]);

const stateless = 'the gateway is stateless: send the whole conversation in `input`';

export const responsesBodySchema = z.object({
  model: z.string().trim().min(1, 'must not be empty'),
  input: z.union([
    z.string().min(1, 'must not be empty'),
    z.array(inputItem).min(1, 'must contain at least one item'),
  ]),
  instructions: z.string().nullish(),
  tools: z.array(tool).nullish(),
  tool_choice: z.unknown().optional(),
  max_output_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  text: z.object({ format: textFormat.nullish() }).nullish(),
  reasoning: z
    .object({ effort: reasoningEffortSchema.nullish(), summary: z.string().nullish() })
    .nullish(),
  stream: z.boolean().nullish(),
  previous_response_id: z.null(stateless).optional(),
  store: z.literal(false, stateless).nullish(),
  conversation: z.null(stateless).optional(),
  background: z
    .literal(false, 'background responses need stored state; the gateway is stateless')
    .nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
});

export type ResponsesBody = z.infer<typeof responsesBodySchema>;
export type InputItem = z.infer<typeof inputItem>;
export type InputContent = z.infer<typeof inputContent>;
