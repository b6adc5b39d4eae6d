export const DOORS = ['trpc', 'rest', 'openai', 'anthropic', 'ollama'] as const;

/** The Requests page's filters, as they travel in its URL (`/requests?model=…&code=…`). */
export interface RequestFilters {
  model?: string;
  key?: string;
  code?: string;
  door?: (typeof DOORS)[number];
  /** ISO date-times. */
  since?: string;
  until?: string;
}

const TEXT_KEYS = ['model', 'key', 'code', 'since', 'until'] as const;

export function filtersFromSearch(search: string): RequestFilters {
  const params = new URLSearchParams(search);
  const filters: RequestFilters = {};
  for (const k of TEXT_KEYS) {
    const v = params.get(k)?.trim();
    if (v) filters[k] = v;
  }
  const door = params.get('door');
  if (door && (DOORS as readonly string[]).includes(door)) {
    filters.door = door as RequestFilters['door'];
  }
  return filters;
}

/** `/requests?…` for a set of filters (the usage charts link here). */
export function requestsHref(filters: RequestFilters): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  const query = params.toString();
  return query ? `/requests?${query}` : '/requests';
}
