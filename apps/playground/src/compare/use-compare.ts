import type { ChatStreamResult } from '@intellicore/llm-client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { isCancelled, type ShownError, shownError } from '../api/errors.js';
import { useTRPCClient } from '../api/trpc.js';
import { streamAnswer } from '../chat/stream-answer.js';

export interface Side {
  model: string;
  status: 'idle' | 'streaming' | 'done' | 'stopped' | 'failed';
  content: string;
  thinking?: string;
  result?: ChatStreamResult;
  error?: ShownError;
}

const idle = (model: string): Side => ({ model, status: 'idle', content: '' });

/**
 * One prompt to two models at once: both streams start together, each column fills as its
 * deltas arrive; Stop aborts both.
 */
export function useCompare() {
  const client = useTRPCClient();
  const [sides, setSides] = useState<[Side, Side]>([idle(''), idle('')]);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);
  const running = sides.some((s) => s.status === 'streaming');

  const run = useCallback(
    (prompt: string, system: string, models: [string, string]) => {
      controller.current?.abort();
      const abort = new AbortController();
      controller.current = abort;
      setSides([
        { ...idle(models[0]), status: 'streaming' },
        { ...idle(models[1]), status: 'streaming' },
      ]);
      const messages = [
        ...(system.trim() ? [{ role: 'system' as const, content: system }] : []),
        { role: 'user' as const, content: prompt },
      ];
      const patch = (i: 0 | 1, p: Partial<Side>) =>
        setSides((all) => {
          const next: [Side, Side] = [all[0], all[1]];
          next[i] = { ...all[i], ...p };
          return next;
        });
      const one = async (i: 0 | 1) => {
        try {
          const result = await streamAnswer(
            client,
            { model: models[i], messages },
            abort.signal,
            (content) => patch(i, { content }),
          );
          patch(i, {
            status: 'done',
            content: result.message.content,
            ...(result.message.thinking ? { thinking: result.message.thinking } : {}),
            result,
          });
        } catch (error) {
          patch(i, {
            status: isCancelled(error) ? 'stopped' : 'failed',
            error: shownError(error),
          });
        }
      };
      void Promise.all([one(0), one(1)]).finally(() => {
        if (controller.current === abort) controller.current = null;
      });
    },
    [client],
  );
  const stop = useCallback(() => controller.current?.abort(), []);
  return { sides, running, run, stop };
}
