import {
  createTRPCClient,
  httpBatchStreamLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
} from '@trpc/client';
import superjson from 'superjson';
import { trpcEndpoint } from './endpoint.js';
import { type EventSourceConstructor, eventSourceSetup } from './event-source.js';
import { type HeadersOption, requestHeaders } from './headers.js';
import type { AppRouter } from './router-types.js';

export interface GatewayClientOptions {
  /** Gateway base URL (`http://localhost:8001`) or its tRPC endpoint (`…/trpc`). */
  url: string;
  /** Sent as `Authorization: Bearer <apiKey>` on every call, subscriptions (SSE) included. */
  apiKey?: string;
  /** fetch implementation for HTTP calls and SSE streams; the global `fetch` by default. */
  fetch?: typeof globalThis.fetch;
  /** EventSource constructor for subscriptions; the fetch-based `eventsource` package by default. */
  EventSource?: EventSourceConstructor;
  /** Extra headers on every request (a record, or a function called per request). */
  headers?: HeadersOption;
}

/** The typed tRPC client of the gateway: `client.models.list.query()`, `client.chat.stream.subscribe(…)`. */
export type GatewayClient = TRPCClient<AppRouter>;

/**
 * Creates the typed client. Queries and mutations go through one batching, streaming HTTP link
 * (JSONL); subscriptions (`chat.stream`, `chat.generateStream`, `models.pull`) go over SSE.
 * Both links use superjson, as the gateway does.
 */
export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const url = trpcEndpoint(options.url);
  const headers = requestHeaders(options.headers, options.apiKey);
  const sse = eventSourceSetup(options.EventSource, options.fetch, headers);
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          transformer: superjson,
          EventSource: sse.EventSource,
          eventSourceOptions: sse.init,
        }),
        false: httpBatchStreamLink({
          url,
          transformer: superjson,
          headers,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        }),
      }),
    ],
  });
}
