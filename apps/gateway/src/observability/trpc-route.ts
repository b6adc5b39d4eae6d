/**
 * The metrics label of a tRPC request: `trpc:<procedure>` for one known procedure, `trpc:batch`
 * for several, `trpc:unknown` otherwise. Only known names become labels: paths are
 * client-controlled, and every new label is a new time series.
 */
export function trpcRoute(names: readonly string[], procedures: Record<string, unknown>): string {
  if (names.length !== 1) return 'trpc:batch';
  const single = names[0]!;
  return Object.hasOwn(procedures, single) ? `trpc:${single}` : 'trpc:unknown';
}
