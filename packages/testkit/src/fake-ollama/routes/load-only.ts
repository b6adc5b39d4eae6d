import type { Exchange } from '../exchange.js';
import { keepAliveMs } from '../models.js';
import { NDJSON, sendGeneration } from '../stream.js';
import type { FakeState } from './common.js';

/**
 * Chat with no messages / generate with an empty prompt: Ollama only loads the model and answers
 * `done_reason: "load"`, or unloads it with `keep_alive: 0` (`"unload"`). No metrics.
 */
export function loadOnly(
  ex: Exchange,
  state: FakeState,
  key: string,
  name: string,
  stream: boolean,
  keepAlive: unknown,
  shape: (done: Record<string, unknown>) => Record<string, unknown>,
): Promise<void> {
  const unload = keepAliveMs(keepAlive) === 0;
  if (unload) state.registry.unload(key);
  const base = { model: name, created_at: new Date().toISOString() };
  const done = shape({ ...base });
  return sendGeneration(
    ex,
    { chunks: [], final: () => [{ ...done, done_reason: unload ? 'unload' : 'load', done: true }] },
    stream,
    NDJSON,
    0,
  );
}
