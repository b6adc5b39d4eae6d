/**
 * What a model is for, from what the gateway knows about it (`models.get`, Ollama's show):
 * `capabilities` lists "embedding" for embedding models and "completion" for text models
 * (Ollama ≥ 0.6); older Ollamas say nothing there, so the family decides (BERT-style encoders
 * only embed), then the name.
 */
export type ModelKind = 'chat' | 'embedding';

export interface ModelFacts {
  name: string;
  capabilities?: string[] | undefined;
  family?: string | undefined;
  families?: string[] | undefined;
}

const ENCODER_FAMILY = /^(bert|nomic-bert|jina-bert|xlm-roberta|roberta|bge|gte|e5)(-.*)?$/i;

export function modelKind(m: ModelFacts): ModelKind {
  const caps = m.capabilities ?? [];
  if (caps.length > 0) {
    return caps.includes('embedding') && !caps.includes('completion') ? 'embedding' : 'chat';
  }
  const families = [m.family, ...(m.families ?? [])].filter((f): f is string => !!f);
  if (families.some((f) => ENCODER_FAMILY.test(f))) return 'embedding';
  return /embed/i.test(m.name) ? 'embedding' : 'chat';
}

/** `llama3.2:latest` → `llama3.2` (Ollama reads a name without a tag as `:latest`). */
export function shortName(name: string): string {
  return name.endsWith(':latest') ? name.slice(0, -':latest'.length) : name;
}

/** The one key of a model however it is written: `llama3.2` ≡ `llama3.2:latest`. */
export function modelKey(name: string): string {
  const slash = name.lastIndexOf('/');
  return name.indexOf(':', slash + 1) === -1 ? `${name}:latest` : name;
}
