import { EventSource as FetchEventSource } from 'eventsource';

/** Any EventSource constructor: the browser's own, the `eventsource` package, or another ponyfill. */
export type EventSourceConstructor = new (
  url: string,
  init?: EventSourceInit & Record<string, unknown>,
) => EventSource;

/**
 * How the API key travels on subscriptions (SSE).
 *
 * A browser's native EventSource cannot send headers, and tRPC's alternative (`connectionParams`)
 * puts the key in the URL, where proxies, access logs and browser history keep it. So the SDK
 * opens SSE streams with the `eventsource` package everywhere (browsers and Node): it is
 * fetch-based, follows the EventSource spec (reconnect, Last-Event-ID) and lets us send the same
 * `Authorization: Bearer <key>` header as the HTTP calls. The gateway therefore reads the key
 * from the Authorization header for every request, subscriptions included; cross-origin, its
 * CORS preflight must allow `authorization` and `last-event-id` on GET.
 *
 * A caller-supplied EventSource is used as given; it receives the same `fetch` option, which
 * fetch-based ponyfills honour and native EventSource ignores (then no key is sent on SSE).
 */
export function eventSourceSetup(
  custom: EventSourceConstructor | undefined,
  baseFetch: typeof globalThis.fetch | undefined,
  headers: () => Promise<Record<string, string>>,
): { EventSource: EventSourceConstructor; init: () => Promise<Record<string, unknown>> } {
  const EventSourceImpl: EventSourceConstructor = custom ?? FetchEventSource;
  const fetchWithHeaders = async (input: string | URL, init: RequestInit = {}) => {
    const doFetch = baseFetch ?? globalThis.fetch;
    const extra = await headers();
    return doFetch(input, {
      ...init,
      headers: { ...(init.headers as Record<string, string> | undefined), ...extra },
    });
  };
  return { EventSource: EventSourceImpl, init: async () => ({ fetch: fetchWithHeaders }) };
}
