import { createGatewayClient } from '@intellicore/llm-client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useMemo } from 'react';
import { TRPCProvider } from './trpc.js';

/**
 * One typed client per API key (the key travels as `Authorization: Bearer` on HTTP and SSE).
 * Changing the key starts a fresh query cache, so nothing fetched with another key is shown, and
 * remounts the pages (TRPCProvider keeps the client it was first given).
 */
export function ApiProvider({ apiKey, children }: { apiKey: string; children: ReactNode }) {
  const { queryClient, client } = useMemo(() => {
    const queryClient = new QueryClient({
      defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, staleTime: 5_000 } },
    });
    const client = createGatewayClient({
      url: window.location.origin,
      ...(apiKey ? { apiKey } : {}),
    });
    return { queryClient, client };
  }, [apiKey]);
  return (
    <QueryClientProvider key={apiKey} client={queryClient}>
      <TRPCProvider trpcClient={client} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
