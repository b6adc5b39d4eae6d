/**
 * The models of the embedded engine are the GGUF files in MODELS_DIR. The directory is scanned
 * on every call (files may be copied in at any time); GGUF headers and sha256 digests are
 * computed on first need and cached per file version (size + mtime).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GatewayError } from '../../errors.js';
import type { ModelInfo } from '../../types.js';
import { type GgufFacts, ggufFacts } from './gguf-facts.js';
import { readGgufHeader } from './gguf-header.js';
import { modelNameFromFile, modelNameKey } from './model-names.js';

export interface ModelFile {
  /** Canonical name, `stem:latest`. */
  name: string;
  path: string;
  size: number;
  modifiedAt: Date;
  /** Identifies this version of the file in caches. */
  stamp: string;
}

interface CacheEntry<T> {
  stamp: string;
  value: Promise<T>;
}

export class ModelRegistry {
  private readonly factsCache = new Map<string, CacheEntry<GgufFacts>>();
  private readonly digestCache = new Map<string, CacheEntry<string>>();

  constructor(readonly modelsDir: string) {}

  async files(): Promise<ModelFile[]> {
    let entries: string[];
    try {
      entries = await readdir(this.modelsDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      // The engine is down (its health check fails too) until the directory is readable.
      throw new GatewayError(
        'UPSTREAM_UNAVAILABLE',
        'Embedded engine cannot read its models directory',
        { upstream: 'embedded', cause: error },
      );
    }
    const files: ModelFile[] = [];
    for (const entry of entries.sort()) {
      const name = modelNameFromFile(entry);
      if (!name) continue;
      const path = join(this.modelsDir, entry);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) continue;
      files.push({
        name,
        path,
        size: info.size,
        modifiedAt: info.mtime,
        stamp: `${info.size}:${info.mtimeMs}`,
      });
    }
    return files;
  }

  /** The file of a model name (`x` ≡ `x:latest`); MODEL_NOT_FOUND when there is none. */
  async resolve(name: string): Promise<ModelFile> {
    const key = modelNameKey(name);
    const file = (await this.files()).find((f) => modelNameKey(f.name) === key);
    if (!file) {
      throw new GatewayError(
        'MODEL_NOT_FOUND',
        `Model "${name}" not found in the embedded engine`,
        {
          upstream: 'embedded',
        },
      );
    }
    return file;
  }

  facts(file: ModelFile): Promise<GgufFacts> {
    return this.cached(this.factsCache, file, async () => {
      try {
        return ggufFacts(await readGgufHeader(file.path));
      } catch (cause) {
        throw new GatewayError(
          'UPSTREAM_ERROR',
          `Model "${file.name}" is not a readable GGUF file`,
          {
            upstream: 'embedded',
            cause,
          },
        );
      }
    });
  }

  /** `sha256:<hex>` of the whole file, as Ollama writes digests. */
  digest(file: ModelFile): Promise<string> {
    return this.cached(this.digestCache, file, async () => {
      const hash = createHash('sha256');
      try {
        for await (const chunk of createReadStream(file.path)) hash.update(chunk as Buffer);
      } catch (cause) {
        throw new GatewayError('UPSTREAM_ERROR', `Model "${file.name}" could not be read`, {
          upstream: 'embedded',
          cause,
        });
      }
      return `sha256:${hash.digest('hex')}`;
    });
  }

  async info(file: ModelFile): Promise<ModelInfo> {
    const [facts, digest] = await Promise.all([this.facts(file), this.digest(file)]);
    return {
      name: file.name,
      model: file.name,
      modifiedAt: file.modifiedAt.toISOString(),
      size: file.size,
      digest,
      details: facts.details,
    };
  }

  /** Drops cached facts of a file that was removed or replaced. */
  forget(path: string): void {
    this.factsCache.delete(path);
    this.digestCache.delete(path);
  }

  private cached<T>(
    cache: Map<string, CacheEntry<T>>,
    file: ModelFile,
    compute: () => Promise<T>,
  ): Promise<T> {
    const hit = cache.get(file.path);
    if (hit && hit.stamp === file.stamp) return hit.value;
    const value = compute();
    cache.set(file.path, { stamp: file.stamp, value });
    value.catch(() => {
      if (cache.get(file.path)?.value === value) cache.delete(file.path);
    });
    return value;
  }
}
