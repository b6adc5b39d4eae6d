import type { RouterInputs, RouterOutputs } from '@intellicore/llm-client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.js';

/** One stored key as `keys.list` (admin) shows it: settings and usage this period. */
export type KeyRow = RouterOutputs['keys']['list'][number];
export type KeyCreateInput = RouterInputs['keys']['create'];
export type CreatedKey = RouterOutputs['keys']['create'];

/** The key list and its mutations; every change refreshes the list. */
export function useKeys() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onSuccess = () => queryClient.invalidateQueries({ queryKey: trpc.keys.pathKey() });
  return {
    list: useQuery(trpc.keys.list.queryOptions()),
    create: useMutation(trpc.keys.create.mutationOptions({ onSuccess })),
    update: useMutation(trpc.keys.update.mutationOptions({ onSuccess })),
    revoke: useMutation(trpc.keys.revoke.mutationOptions({ onSuccess })),
  };
}
