/** Extra headers: a fixed record, or a function evaluated per request (e.g. a rotating token). */
export type HeadersOption =
  | Record<string, string>
  | (() => Record<string, string> | Promise<Record<string, string>>);

/** The headers every request carries: the caller's own, then `Authorization` from `apiKey`. */
export function requestHeaders(
  headers: HeadersOption | undefined,
  apiKey: string | undefined,
): () => Promise<Record<string, string>> {
  return async () => {
    const own = typeof headers === 'function' ? await headers() : (headers ?? {});
    return apiKey ? { ...own, authorization: `Bearer ${apiKey}` } : { ...own };
  };
}
