import { useQueries, useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.js';
import { type ModelKind, modelKey, modelKind, shortName } from './model-kind.js';

/** A model as the pickers offer it: one entry per model, aliases as their own entries. */
export interface PickableModel {
  /** What is sent as `model`: the short name (`llama3.2`, not `llama3.2:latest`) or an alias. */
  value: string;
  kind: ModelKind;
  /** Upstream ids that have it loaded now (`models.list` loadedOn). */
  loadedOn: string[];
  capabilities: string[];
  family: string | undefined;
  /** For an alias: the model it stands for. */
  aliasOf?: string;
}

/**
 * The models the caller may use — the catalogue (allowed models on healthy upstreams) plus the
 * configured aliases — each with its kind from `models.get` (capabilities, family) and where it
 * is loaded. `name` and `name:latest` are one entry.
 */
export function useModelCatalogue() {
  const trpc = useTRPC();
  const allowed = useQuery(trpc.models.allowed.queryOptions());
  const list = useQuery(trpc.models.list.queryOptions());
  const shows = useQueries({
    queries: (list.data ?? []).map((m) => ({
      ...trpc.models.get.queryOptions({ name: m.name }),
      staleTime: 5 * 60_000,
    })),
  });
  const byKey = new Map<string, PickableModel>();
  (list.data ?? []).forEach((m, i) => {
    const show = shows[i]?.data;
    const key = modelKey(m.name);
    const known = byKey.get(key);
    const capabilities = show?.capabilities ?? [];
    byKey.set(key, {
      value: shortName(key),
      kind: modelKind({
        name: m.name,
        capabilities,
        family: show?.details.family ?? m.details.family,
        families: show?.details.families ?? m.details.families,
      }),
      loadedOn: [...new Set([...(known?.loadedOn ?? []), ...m.loadedOn])],
      capabilities,
      family: m.details.family,
    });
  });
  const models = [...byKey.values()];
  for (const [alias, target] of Object.entries(allowed.data?.aliases ?? {})) {
    const of = byKey.get(modelKey(target));
    models.push({
      value: alias,
      kind: of?.kind ?? modelKind({ name: target }),
      loadedOn: of?.loadedOn ?? [],
      capabilities: of?.capabilities ?? [],
      family: of?.family,
      aliasOf: shortName(target),
    });
  }
  models.sort((a, b) => a.value.localeCompare(b.value));
  return {
    models,
    defaults: {
      chat: allowed.data ? shortName(allowed.data.defaultChatModel) : undefined,
      embedding: allowed.data ? shortName(allowed.data.defaultEmbeddingModel) : undefined,
    },
    error: allowed.error ?? list.error,
    loading: allowed.isPending || list.isPending,
  };
}

/** The entry for a picked value (`llama3.2` and `llama3.2:latest` find the same one). */
export function findModel(models: PickableModel[], value: string): PickableModel | undefined {
  return models.find((m) => m.value === value) ?? models.find((m) => m.value === shortName(value));
}
