import {
  createTRPCClient,
  httpBatchLink,
  httpLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
  type TRPCLink,
} from '@trpc/client';
import { trpcEndpoint } from './endpoint.js';
import { type EventSourceConstructor, eventSourceSetup } from './event-source.js';
import { type HeadersOption, requestHeaders } from './headers.js';
import { eventStreamLink } from './links/event-stream-link.js';
import { plainJson } from './plain-json.js';
import type { AppRouter } from './router-types.js';

export interface GatewayClientOptions {
  /** Gateway base URL (`http://localhost:8001`) or its tRPC endpoint (`…/trpc`). */
  url: string;
  /** Sent as `Authorization: Bearer <apiKey>` on every call, streams included. */
  apiKey?: string;
  /** fetch implementation for every call and stream; the global `fetch` by default. */
  fetch?: typeof globalThis.fetch;
  /**
   * Only for gateways behind a proxy that refuses POST streams: subscriptions then travel as
   * GET Server-Sent Events through this EventSource (tRPC's SSE link), with the input in the
   * URL (the URL limits how long a prompt can be). Without it (the default), streams are POSTs.
   */
  EventSource?: EventSourceConstructor;
  /** Extra headers on every request (a record, or a function called per request). */
  headers?: HeadersOption;
}

/** The typed tRPC client of the gateway: `client.models.list.query()`, `client.chat.stream.subscribe(…)`. */
export type GatewayClient = TRPCClient<AppRouter>;

/**
 * Creates the typed client. Plain JSON on the wire (what the gateway's REST front speaks too):
 * - mutations (completions, embeddings, …): one `POST` each (`httpLink`): nothing waits for a
 *   batch, and a slow generation never holds back another call;
 * - queries: batched `GET`s (`httpBatchLink`);
 * - subscriptions (`chat.stream`, `chat.generateStream`, `templates.renderAndChatStream`,
 *   `models.pull`): a `POST` whose answer is a Server-Sent Events stream (`eventStreamLink`).
 */
export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const url = trpcEndpoint(options.url);
  const headers = requestHeaders(options.headers, options.apiKey);
  const fetchOption = options.fetch ? { fetch: options.fetch } : {};
  const subscriptions: TRPCLink<AppRouter> = options.EventSource
    ? getStreamLink(url, options.EventSource, options.fetch, headers)
    : eventStreamLink<AppRouter>({ url, headers, ...fetchOption });
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: subscriptions,
        false: splitLink({
          condition: (op) => op.type === 'query',
          true: httpBatchLink({
            url,
            headers,
            transformer: plainJson,
            maxURLLength: 4_000,
            ...fetchOption,
          }),
          false: httpLink({ url, headers, transformer: plainJson, ...fetchOption }),
        }),
      }),
    ],
  });
}

/** tRPC's GET SSE link with the key as a header (see `EventSource` above). */
function getStreamLink(
  url: string,
  EventSource: EventSourceConstructor,
  baseFetch: typeof globalThis.fetch | undefined,
  headers: () => Promise<Record<string, string>>,
): TRPCLink<AppRouter> {
  const sse = eventSourceSetup(EventSource, baseFetch, headers);
  return httpSubscriptionLink({
    url,
    transformer: plainJson,
    EventSource: sse.EventSource,
    eventSourceOptions: sse.init,
  });
}
