import type { RouterOutputs } from '@intellicore/llm-client';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTRPC, useTRPCClient } from '../api/trpc.js';

type Progress = RouterOutputs['models']['pull'] extends AsyncIterable<infer P> ? P : never;

export type PullState =
  | { phase: 'idle' }
  | { phase: 'pulling'; name: string; progress?: Progress }
  | { phase: 'done'; name: string; progress?: Progress }
  | { phase: 'failed'; name: string; error: unknown };

/**
 * `models.pull` (an SSE subscription of Ollama's progress). The client's own `subscribe` is used
 * rather than `useSubscription` because the page needs the completion event to refresh the list.
 */
export function usePull() {
  const client = useTRPCClient();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [state, setState] = useState<PullState>({ phase: 'idle' });
  const current = useRef<{ unsubscribe(): void } | null>(null);

  useEffect(() => () => current.current?.unsubscribe(), []);

  const pull = useCallback(
    (name: string) => {
      current.current?.unsubscribe();
      setState({ phase: 'pulling', name });
      current.current = client.models.pull.subscribe(
        { name },
        {
          onData: (progress) => setState({ phase: 'pulling', name, progress }),
          onError: (error) => {
            current.current?.unsubscribe();
            setState({ phase: 'failed', name, error });
          },
          onComplete: () => {
            setState((s) => ({
              phase: 'done',
              name,
              ...('progress' in s ? { progress: s.progress } : {}),
            }));
            void queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() });
          },
        },
      );
    },
    [client, queryClient, trpc],
  );
  const cancel = useCallback(() => {
    current.current?.unsubscribe();
    setState({ phase: 'idle' });
  }, []);
  return { state, pull, cancel };
}
