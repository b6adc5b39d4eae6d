import { fakeDigest } from './deterministic.js';
import type { FakeModel } from './types.js';

export const DEFAULT_FAKE_MODELS: FakeModel[] = [
  { name: 'llama3.2:latest', family: 'llama', parameterSize: '3.2B', size: 2019393189 },
  { name: 'llama3.2:1b', family: 'llama', parameterSize: '1.2B', size: 1321098329 },
  { name: 'mistral:latest', family: 'llama', parameterSize: '7.2B', size: 4113301824 },
  {
    name: 'nomic-embed-text:latest',
    family: 'nomic-bert',
    parameterSize: '137M',
    quantizationLevel: 'F16',
    size: 274302450,
    embeddingDims: 16,
    capabilities: ['embedding'],
  },
];

/** `llama3.2` → `llama3.2:latest`; names with a tag stay as they are. */
export function normaliseModelName(name: string): string {
  const slash = name.lastIndexOf('/');
  return name.indexOf(':', slash + 1) === -1 ? `${name}:latest` : name;
}

/** A model with every field filled in. */
export type ResolvedModel = Required<FakeModel> & { modifiedAt: string };

const MODIFIED_AT = '2025-07-01T12:00:00.000000000Z';

export function resolveModel(m: FakeModel): ResolvedModel {
  const name = normaliseModelName(m.name);
  const isEmbed = /embed/.test(name);
  return {
    name,
    digest: m.digest ?? fakeDigest(name),
    size: m.size ?? 1_000_000_000,
    family: m.family ?? 'llama',
    parameterSize: m.parameterSize ?? '1B',
    quantizationLevel: m.quantizationLevel ?? 'Q4_K_M',
    embeddingDims: m.embeddingDims ?? 16,
    capabilities: m.capabilities ?? (isEmbed ? ['embedding'] : ['completion', 'tools']),
    contextLength: m.contextLength ?? 4096,
    modifiedAt: MODIFIED_AT,
  };
}

/** The model list and what is loaded: the fake's only mutable "server state". */
export class ModelRegistry {
  private models = new Map<string, ResolvedModel>();
  /** name → expires_at (ms since epoch; Infinity = forever). */
  private loaded = new Map<string, number>();

  constructor(models: FakeModel[]) {
    this.setModels(models);
  }

  setModels(models: FakeModel[]): void {
    this.models = new Map(models.map((m) => [normaliseModelName(m.name), resolveModel(m)]));
    for (const name of this.loaded.keys()) if (!this.models.has(name)) this.loaded.delete(name);
  }

  setLoaded(names: string[]): void {
    this.loaded.clear();
    for (const n of names) this.markLoaded(n, undefined);
  }

  get(name: string): ResolvedModel | undefined {
    return this.models.get(normaliseModelName(name));
  }

  list(): ResolvedModel[] {
    return [...this.models.values()];
  }

  add(m: FakeModel): void {
    this.models.set(normaliseModelName(m.name), resolveModel(m));
  }

  remove(name: string): boolean {
    const key = normaliseModelName(name);
    this.loaded.delete(key);
    return this.models.delete(key);
  }

  isLoaded(name: string): boolean {
    const key = normaliseModelName(name);
    const expires = this.loaded.get(key);
    if (expires === undefined) return false;
    if (expires < Date.now()) {
      this.loaded.delete(key);
      return false;
    }
    return true;
  }

  /** keepAlive as in the API: seconds, a Go duration string, negative = forever. */
  markLoaded(name: string, keepAlive: unknown): void {
    const key = normaliseModelName(name);
    if (!this.models.has(key)) return;
    const ms = keepAliveMs(keepAlive);
    if (ms === 0) this.loaded.delete(key);
    else this.loaded.set(key, ms < 0 ? Number.POSITIVE_INFINITY : Date.now() + ms);
  }

  unload(name: string): void {
    this.loaded.delete(normaliseModelName(name));
  }

  running(): Array<{ model: ResolvedModel; expiresAt: number }> {
    const out: Array<{ model: ResolvedModel; expiresAt: number }> = [];
    for (const [name, expiresAt] of this.loaded) {
      const model = this.models.get(name);
      if (model && this.isLoaded(name)) out.push({ model, expiresAt });
    }
    return out;
  }
}

const DEFAULT_KEEP_ALIVE_MS = 5 * 60_000;
const GO_DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1e3,
  m: 6e4,
  h: 3.6e6,
};

/** Milliseconds a model stays loaded; -1 = forever, 0 = unload now. */
export function keepAliveMs(keepAlive: unknown): number {
  if (keepAlive === undefined || keepAlive === null) return DEFAULT_KEEP_ALIVE_MS;
  if (typeof keepAlive === 'number') return keepAlive < 0 ? -1 : keepAlive * 1000;
  if (typeof keepAlive !== 'string') return DEFAULT_KEEP_ALIVE_MS;
  const s = keepAlive.trim();
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s) < 0 ? -1 : Number(s) * 1000;
  let total = 0;
  let sign = 1;
  let rest = s;
  if (rest.startsWith('-')) {
    sign = -1;
    rest = rest.slice(1);
  }
  for (const part of rest.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(part[1]) * (GO_DURATION_UNITS[part[2] ?? 's'] ?? 1000);
  }
  return sign < 0 ? -1 : total;
}

export function modelDetails(m: ResolvedModel) {
  return {
    parent_model: '',
    format: 'gguf',
    family: m.family,
    families: [m.family],
    parameter_size: m.parameterSize,
    quantization_level: m.quantizationLevel,
  };
}
