/**
 * The node-llama-cpp module and its one shared `Llama` instance, both loaded on first use.
 * The import is dynamic so that users of core that never touch the embedded engine do not pay
 * for loading it (and so the CJS build keeps a real `import()` of this ESM-only package).
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { Llama } from 'node-llama-cpp';
import { GatewayError } from '../../errors.js';

export type NodeLlamaCpp = typeof import('node-llama-cpp');

let modulePromise: Promise<NodeLlamaCpp> | undefined;

export function loadNodeLlamaCpp(): Promise<NodeLlamaCpp> {
  modulePromise ??= import('node-llama-cpp').catch((cause: unknown) => {
    modulePromise = undefined;
    throw new GatewayError(
      'UPSTREAM_UNAVAILABLE',
      'Embedded engine (node-llama-cpp) failed to load',
      {
        upstream: 'embedded',
        cause,
      },
    );
  });
  return modulePromise;
}

/**
 * node-llama-cpp's version, read from its package.json without evaluating the module (health
 * checks ask for it every few seconds; loading the engine weighs ~20 MB). Where the module
 * cannot be resolved that way (the CJS build has no `import.meta`), the module is loaded.
 */
export async function nodeLlamaCppVersion(): Promise<string> {
  try {
    const entry = new URL(import.meta.resolve('node-llama-cpp'));
    for (let dir = new URL('.', entry); dir.pathname !== '/'; dir = new URL('..', dir)) {
      const text = await readFile(new URL('package.json', dir), 'utf8').catch(() => undefined);
      const pkg =
        text === undefined ? undefined : (JSON.parse(text) as { name?: string; version?: string });
      if (pkg?.name === 'node-llama-cpp' && pkg.version) return pkg.version;
    }
  } catch {
    // fall through: ask the module itself
  }
  return (await loadNodeLlamaCpp()).getModuleVersion();
}

/**
 * Threads for evaluation: one per core, less one left for Node's event loop (the HTTP server
 * shares this process). llama.cpp's threads meet at spin barriers after every layer, so one
 * thread more than there are free cores stalls them all: on 2 busy cores, 32 tokens of the
 * demo model took ~300 ms with 2 threads and ~20 ms with 1 (and 15 s vs 1 s with the default).
 */
export function engineThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

/**
 * The Llama binding shared by every provider in this process: CPU only, prebuilt binary only
 * (never download or compile at runtime). Reference-counted so the last `close()` disposes it.
 */
let llamaPromise: Promise<Llama> | undefined;
let llamaUsers = 0;

export async function acquireLlama(): Promise<Llama> {
  llamaUsers++;
  if (!llamaPromise) {
    llamaPromise = (async () => {
      const { getLlama, LlamaLogLevel } = await loadNodeLlamaCpp();
      return getLlama({
        gpu: false,
        build: 'never',
        maxThreads: availableParallelism(),
        logLevel: LlamaLogLevel.error,
      });
    })();
    llamaPromise.catch(() => {
      llamaPromise = undefined;
    });
  }
  try {
    return await llamaPromise;
  } catch (cause) {
    llamaUsers--;
    if (cause instanceof GatewayError) throw cause;
    throw new GatewayError('UPSTREAM_UNAVAILABLE', 'Embedded engine binary could not be loaded', {
      upstream: 'embedded',
      cause,
    });
  }
}

/** Call once per successful `acquireLlama()`; disposes the binding when nobody uses it. */
export async function releaseLlama(): Promise<void> {
  llamaUsers = Math.max(0, llamaUsers - 1);
  if (llamaUsers > 0 || !llamaPromise) return;
  const pending = llamaPromise;
  llamaPromise = undefined;
  const llama = await pending.catch(() => undefined);
  await llama?.dispose();
}
