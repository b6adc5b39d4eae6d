import { GatewayError } from '../../errors.js';
import type { ChatMessage, ChatRequest, ChatResult } from '../../types.js';
import { type JsonSchema, validateJson } from './json-schema.js';

export type ParsedReply = { ok: true; data: unknown } | { ok: false; problems: string[] };

/** Parses a reply as JSON (tolerating a ```json fence) and validates it against the schema. */
export function parseReply(content: string, schema: JsonSchema): ParsedReply {
  const text = stripFence(content.trim());
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      problems: [`not valid JSON: ${error instanceof Error ? error.message : String(error)}`],
    };
  }
  const problems = validateJson(schema, data);
  return problems.length === 0 ? { ok: true, data } : { ok: false, problems };
}

/** The follow-up request of the single repair attempt: the bad reply plus what is wrong with it. */
export function repairRequest(
  request: ChatRequest,
  badReply: string,
  problems: string[],
): ChatRequest {
  const messages: ChatMessage[] = [
    ...request.messages,
    { role: 'assistant', content: badReply },
    {
      role: 'user',
      content: [
        'Your reply does not match the required JSON schema:',
        ...problems.slice(0, 10).map((p) => `- ${p}`),
        'Reply again with ONLY the corrected JSON object, no other text.',
      ].join('\n'),
    },
  ];
  return { ...request, messages };
}

export interface StructuredOutcome {
  data: unknown;
  repaired: boolean;
  result: ChatResult;
}

/**
 * Validates a first reply and, when it is invalid, makes exactly one repair call. Fails with
 * UPSTREAM_ERROR carrying the raw replies and the problems when the repair is invalid too.
 */
export async function settleStructuredReply(
  request: ChatRequest,
  first: ChatResult,
  schema: JsonSchema,
  repair: (request: ChatRequest) => Promise<ChatResult>,
): Promise<StructuredOutcome> {
  const parsed = parseReply(first.message.content, schema);
  if (parsed.ok) return { data: parsed.data, repaired: false, result: first };
  const second = await repair(repairRequest(request, first.message.content, parsed.problems));
  const reparsed = parseReply(second.message.content, schema);
  if (reparsed.ok) return { data: reparsed.data, repaired: true, result: second };
  throw new GatewayError(
    'UPSTREAM_ERROR',
    `The model's reply did not match the output schema, also after one repair attempt: ${reparsed.problems.slice(0, 3).join('; ')}`,
    {
      details: {
        rawReply: second.message.content,
        firstReply: first.message.content,
        problems: reparsed.problems.slice(0, 20),
      },
    },
  );
}

function stripFence(text: string): string {
  const fenced = /^```(?:json)?\s*\n?([\s\S]*?)\n?```$/i.exec(text);
  return fenced?.[1] ?? text;
}
