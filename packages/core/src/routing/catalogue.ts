/** The model catalogue: the union of what healthy upstreams have, with who has what. */
import type { CatalogueModel } from './pool-report.js';
import type { UpstreamEntry } from './upstream-entry.js';

export function buildCatalogue(entries: readonly UpstreamEntry[]): CatalogueModel[] {
  const byName = new Map<string, CatalogueModel>();
  for (const entry of entries) {
    if (!entry.healthy) continue;
    for (const [key, info] of entry.models) {
      let model = byName.get(key);
      if (!model) {
        model = { ...info, upstreams: [], loadedOn: [] };
        byName.set(key, model);
      }
      model.upstreams.push(entry.id);
      if (entry.loaded.has(key)) model.loadedOn.push(entry.id);
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}
