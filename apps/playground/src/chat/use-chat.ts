import { type ChatStreamResult, chatStream } from '@intellicore/llm-client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTRPCClient } from '../api/trpc.js';

export interface Turn {
  role: 'user' | 'assistant';
  content: string;
  /** Set on a finished answer: tokens and timings. */
  result?: ChatStreamResult;
  /** Set when the answer was stopped or failed. */
  error?: unknown;
}

export interface ChatSettings {
  model: string;
  system: string;
  temperature: number | undefined;
  seed: number | undefined;
}

/**
 * A conversation over the SDK's `chatStream` (tRPC `chat.stream` over SSE). `stop()` aborts:
 * the SSE connection closes, and the gateway closes the upstream request.
 */
export function useChat() {
  const client = useTRPCClient();
  const [turns, setTurns] = useState<Turn[]>([]);
  const [streaming, setStreaming] = useState(false);
  const controller = useRef<AbortController | null>(null);

  useEffect(() => () => controller.current?.abort(), []);

  const send = useCallback(
    async (text: string, settings: ChatSettings) => {
      // A failed or stopped exchange is left out of the context (its question and partial answer).
      const kept = turns.filter((t, i) => !t.error && !turns[i + 1]?.error);
      const history = [...kept, { role: 'user' as const, content: text }];
      setTurns([...history, { role: 'assistant', content: '' }]);
      const abort = new AbortController();
      controller.current = abort;
      setStreaming(true);
      const options: Record<string, number> = {};
      if (settings.temperature !== undefined) options.temperature = settings.temperature;
      if (settings.seed !== undefined) options.seed = settings.seed;
      const messages = [
        ...(settings.system ? [{ role: 'system' as const, content: settings.system }] : []),
        ...history.map((t) => ({ role: t.role, content: t.content })),
      ];
      const update = (patch: (last: Turn) => Turn) =>
        setTurns((all) => [...all.slice(0, -1), patch(all[all.length - 1] as Turn)]);
      const stream = chatStream(
        client,
        { model: settings.model || undefined, messages, options },
        { signal: abort.signal },
      );
      try {
        for await (const delta of stream)
          update((last) => ({ ...last, content: last.content + delta }));
        const result = await stream.result;
        update((last) => ({ ...last, content: result.message.content, result }));
      } catch (error) {
        update((last) => ({ ...last, error }));
      } finally {
        controller.current = null;
        setStreaming(false);
      }
    },
    [client, turns],
  );

  const stop = useCallback(() => controller.current?.abort(), []);
  const clear = useCallback(() => setTurns([]), []);
  return { turns, streaming, send, stop, clear };
}
