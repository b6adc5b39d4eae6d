import type { GatewayService } from '@intellicore/llm-core';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { ApiKeyAuth } from './auth.js';
import { newRecord, requestIdFrom } from './observability/request-record.js';
import { createAppRouter } from './routers/app.js';
import { createGatewayState } from './state.js';
import type { TrpcContext } from './trpc.js';

export interface FetchHandlerOptions {
  service: GatewayService;
  apiKeys?: string[];
  adminApiKeys?: string[];
  /** Where the router is mounted (default `/trpc`). */
  endpoint?: string;
  logPrompts?: boolean;
}

/**
 * The tRPC API as a fetch handler `(Request) => Promise<Response>`, for fetch-based runtimes
 * (Deno, Bun, workers, Next.js route handlers). Same router, same auth rules as the server.
 */
export function createFetchHandler(
  options: FetchHandlerOptions,
): (req: Request) => Promise<Response> {
  const auth = new ApiKeyAuth(options.apiKeys ?? [], options.adminApiKeys ?? []);
  const router = createAppRouter({
    service: options.service,
    state: createGatewayState(auth.enabled),
    logPrompts: options.logPrompts ?? false,
  });
  const endpoint = options.endpoint ?? '/trpc';
  return (req) =>
    fetchRequestHandler({
      endpoint,
      req,
      router,
      createContext: (): TrpcContext => {
        const record = newRecord(
          req.method,
          'trpc',
          requestIdFrom(req.headers.get('x-request-id') ?? undefined),
        );
        const result = auth.authenticate(req.headers.get('authorization') ?? undefined);
        return result.ok
          ? { requestId: record.id, caller: result.caller, record }
          : { requestId: record.id, caller: null, authError: result.message, record };
      },
    });
}
