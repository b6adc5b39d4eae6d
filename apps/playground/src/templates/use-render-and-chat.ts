import { GatewayClientError, type RouterInputs, type RouterOutputs } from '@intellicore/llm-client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { isCancelled } from '../api/errors.js';
import { useTRPCClient } from '../api/trpc.js';

type Input = RouterInputs['templates']['renderAndChatStream'];
type Tracked =
  RouterOutputs['templates']['renderAndChatStream'] extends AsyncIterable<infer E> ? E : never;
type Event = Tracked extends { data: infer D } ? D : Tracked;
export type RenderAndChatDone = Extract<Event, { type: 'done' }>;

export type RenderAndChatState =
  | { phase: 'idle' }
  | { phase: 'streaming'; content: string; thinking: string }
  | { phase: 'done'; content: string; thinking: string; done: RenderAndChatDone }
  | { phase: 'stopped' | 'failed'; content: string; thinking: string; error: unknown };

const untrack = (e: unknown): Event =>
  (typeof (e as { id?: unknown }).id === 'string' && (e as { data?: unknown }).data !== undefined
    ? (e as { data: unknown }).data
    : e) as Event;

/**
 * `templates.renderAndChatStream` over the typed client: deltas as they come, then the `done`
 * event (parsed data, usage, timings). As with the SDK's chatStream, a reconnect is never let
 * through (it would run the prompt again): the first one ends the stream with its error.
 */
export function useRenderAndChat() {
  const client = useTRPCClient();
  const [state, setState] = useState<RenderAndChatState>({ phase: 'idle' });
  const current = useRef<{ unsubscribe(): void } | null>(null);
  useEffect(() => () => current.current?.unsubscribe(), []);

  const fail = useCallback((error: unknown) => {
    current.current?.unsubscribe();
    current.current = null;
    const e = GatewayClientError.from(error);
    setState((s) => ({
      phase: isCancelled(e) ? 'stopped' : 'failed',
      content: 'content' in s ? s.content : '',
      thinking: 'thinking' in s ? s.thinking : '',
      error: e,
    }));
  }, []);

  const start = useCallback(
    (input: Input) => {
      current.current?.unsubscribe();
      setState({ phase: 'streaming', content: '', thinking: '' });
      const subscription = client.templates.renderAndChatStream.subscribe(input, {
        onData: (tracked) => {
          const event = untrack(tracked);
          setState((s) => {
            if (s.phase !== 'streaming') return s;
            if (event.type === 'done') return { ...s, phase: 'done', done: event };
            return {
              ...s,
              content: s.content + event.content,
              thinking: s.thinking + (event.thinking ?? ''),
            };
          });
        },
        onError: fail,
        onComplete: () => {
          current.current = null;
          setState((s) =>
            s.phase === 'streaming'
              ? {
                  ...s,
                  phase: 'failed',
                  error: new GatewayClientError(
                    'STREAM_INTERRUPTED',
                    'The stream ended without a final result',
                  ),
                }
              : s,
          );
        },
        onConnectionStateChange: (change) => {
          if (change.state === 'connecting' && change.error) fail(change.error);
        },
      });
      current.current = subscription;
    },
    [client, fail],
  );

  const stop = useCallback(() => {
    if (!current.current) return;
    fail(new GatewayClientError('CANCELLED', 'The render-and-chat stream was cancelled'));
  }, [fail]);
  return { state, start, stop };
}
