import type { TRPCClient } from '@trpc/client';
import type { inferRouterInputs } from '@trpc/server';
import type { AppRouter, ChatCompletionOutput } from '../../src/index.js';

/**
 * The parts of the SDK (@intellicore/llm-client) these tests drive, typed against the gateway's
 * own router. Why not a plain `import … from '@intellicore/llm-client'`: the client depends on
 * the gateway (for its router type), so the gateway cannot list the client as a dependency (a
 * build cycle) and `tsc` cannot resolve the name from here. At run time vitest resolves it to
 * the client's sources through the alias in vitest.shared.ts, so no build is needed.
 */
export interface GatewaySdk {
  createGatewayClient(options: { url: string; apiKey?: string }): TRPCClient<AppRouter>;
  chatStream(
    client: TRPCClient<AppRouter>,
    input: inferRouterInputs<AppRouter>['chat']['stream'],
    options?: { signal?: AbortSignal },
  ): AsyncIterable<string> & { readonly result: Promise<ChatCompletionOutput> };
  isGatewayClientError(error: unknown): error is Error & { gatewayCode: string };
}

const CLIENT_PACKAGE = '@intellicore/llm-client';

export async function loadSdk(): Promise<GatewaySdk> {
  const sdk = (await import(/* @vite-ignore */ CLIENT_PACKAGE)) as GatewaySdk;
  if (typeof sdk.createGatewayClient !== 'function' || typeof sdk.chatStream !== 'function') {
    throw new Error(`${CLIENT_PACKAGE} did not load (is its alias in vitest.shared.ts?)`);
  }
  return sdk;
}
