/** Any EventSource constructor: the browser's own, the `eventsource` package, or another ponyfill. */
export type EventSourceConstructor = new (
  url: string,
  init?: EventSourceInit & Record<string, unknown>,
) => EventSource;

/**
 * How the API key travels on GET SSE subscriptions (only when the caller passes an
 * EventSource). A browser's native EventSource cannot send headers, and tRPC's alternative
 * (`connectionParams`) puts the key in the URL, where proxies, access logs and browser history
 * keep it; fetch-based ponyfills (the `eventsource` package) take a `fetch` option, through which
 * the same `Authorization: Bearer <key>` header as the HTTP calls is sent. Native EventSource
 * ignores it (then no key is sent on SSE).
 */
export function eventSourceSetup(
  EventSourceImpl: EventSourceConstructor,
  baseFetch: typeof globalThis.fetch | undefined,
  headers: () => Promise<Record<string, string>>,
): { EventSource: EventSourceConstructor; init: () => Promise<Record<string, unknown>> } {
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
