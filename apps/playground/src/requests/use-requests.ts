import type { RouterOutputs } from '@intellicore/llm-client';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.js';
import type { RequestFilters } from './filters.js';

export type RequestEntry = RouterOutputs['requests']['get'];

/** `requests.list` (admin), newest first; polled every 2 s while `live`. */
export function useRequests(filters: RequestFilters, live: boolean) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.requests.list.queryOptions({ ...filters, limit: 100 }),
    refetchInterval: live ? 2000 : false,
  });
}

/** One request with its timeline (and prompt and answer when the gateway kept them). */
export function useRequest(id: string | undefined) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.requests.get.queryOptions({ id: id ?? '' }),
    enabled: id !== undefined,
  });
}
