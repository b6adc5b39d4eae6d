/**
 * The tRPC endpoint for a gateway URL: `http://host:8001` → `http://host:8001/trpc`. A URL that
 * already ends in `/trpc` (e.g. behind a proxy that mounts the gateway elsewhere) is kept.
 */
export function trpcEndpoint(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return /\/trpc$/.test(trimmed) ? trimmed : `${trimmed}/trpc`;
}
