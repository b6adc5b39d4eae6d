import type { Think } from '@intellicore/llm-core';
import { z } from 'zod';

/**
 * OpenAI's reasoning effort (`reasoning_effort`, `reasoning.effort`) as Ollama's `think`, the
 * way Ollama maps it: `none` turns thinking off, `minimal` is Ollama's lowest level, levels
 * above `high` (`xhigh`, `max`, `ultra`) are clamped to `high` (the highest level core and older
 * Ollama versions take). Absent: the model's default.
 */
export const reasoningEffortSchema = z.enum([
  'none',
  'minimal',
  'low',
  'medium',
  'high',
  'xhigh',
  'max',
  'ultra',
]);

export type ReasoningEffort = z.infer<typeof reasoningEffortSchema>;

export function thinkFromEffort(effort: ReasoningEffort | null | undefined): Think | undefined {
  switch (effort) {
    case undefined:
    case null:
      return undefined;
    case 'none':
      return false;
    case 'minimal':
    case 'low':
      return 'low';
    case 'medium':
      return 'medium';
    default:
      return 'high';
  }
}
