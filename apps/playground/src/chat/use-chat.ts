import { useCallback, useEffect, useRef, useState } from 'react';
import { isCancelled, shownError } from '../api/errors.js';
import { useTRPCClient } from '../api/trpc.js';
import {
  type Answer,
  type ChatSettings,
  chatRequest,
  DEFAULT_SETTINGS,
  type Exchange,
  newExchange,
} from './conversation.js';
import { loadChat, saveChat } from './stored-conversation.js';
import { streamAnswer } from './stream-answer.js';

/**
 * The chat page's state: settings and exchanges (kept in localStorage between reloads), one
 * answer streaming at a time. `stop()` aborts it; `regenerate()` and `editLast()` replace the
 * last exchange's answer; `clear()` forgets everything.
 */
export function useChat() {
  const client = useTRPCClient();
  const [stored] = useState(loadChat);
  const [settings, setSettings] = useState<ChatSettings>(stored.settings);
  const [exchanges, setExchanges] = useState<Exchange[]>(stored.exchanges);
  const controller = useRef<AbortController | null>(null);
  const streaming = exchanges.some((e) => e.answer.status === 'streaming');

  useEffect(() => () => controller.current?.abort(), []);
  // Saved whenever nothing is streaming (not on every delta).
  useEffect(() => {
    if (!streaming) saveChat({ settings, exchanges });
  }, [settings, exchanges, streaming]);

  const run = useCallback(
    async (exchange: Exchange, before: Exchange[], fresh = false) => {
      const patch = (p: Partial<Answer>) =>
        setExchanges((all) =>
          all.map((e) => (e.id === exchange.id ? { ...e, answer: { ...e.answer, ...p } } : e)),
        );
      const abort = new AbortController();
      controller.current = abort;
      try {
        // A regenerated answer must not come from the response cache.
        const request = chatRequest(before, exchange.question, settings);
        const input = fresh ? { ...request, noCache: true } : request;
        const result = await streamAnswer(client, input, abort.signal, (content) =>
          patch({ content }),
        );
        patch({
          status: 'done',
          content: result.message.content,
          ...(result.message.thinking ? { thinking: result.message.thinking } : {}),
          result,
        });
      } catch (error) {
        patch({ status: isCancelled(error) ? 'stopped' : 'failed', error: shownError(error) });
      } finally {
        if (controller.current === abort) controller.current = null;
      }
    },
    [client, settings],
  );

  const send = useCallback(
    (question: string) => {
      if (streaming) return;
      const exchange = newExchange(question, settings.model);
      setExchanges([...exchanges, exchange]);
      void run(exchange, exchanges);
    },
    [exchanges, run, settings.model, streaming],
  );

  /** A new answer to the last question (or to an edited last question). */
  const replaceLast = useCallback(
    (question?: string) => {
      const last = exchanges.at(-1);
      if (streaming || !last) return;
      const exchange = newExchange(question ?? last.question, settings.model);
      const before = exchanges.slice(0, -1);
      setExchanges([...before, exchange]);
      void run(exchange, before, question === undefined);
    },
    [exchanges, run, settings.model, streaming],
  );

  const stop = useCallback(() => controller.current?.abort(), []);
  const clear = useCallback(() => {
    controller.current?.abort();
    setExchanges([]);
  }, []);
  const patchSettings = useCallback(
    (p: Partial<ChatSettings>) => setSettings((s) => ({ ...s, ...p })),
    [],
  );
  const resetSettings = useCallback(() => setSettings(DEFAULT_SETTINGS), []);
  return {
    settings,
    patchSettings,
    resetSettings,
    exchanges,
    streaming,
    send,
    regenerate: () => replaceLast(),
    editLast: (question: string) => replaceLast(question),
    stop,
    clear,
  };
}
