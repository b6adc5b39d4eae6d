import type { FakeModel } from '@intellicore/testkit';
import { forkMeasured, type MeasuredChild, PROBE_URL, TSX_URL } from './child.js';

export interface FakeHandle {
  url: string;
  process: MeasuredChild;
  /** Spaces stream chunks by `ms` (0 = back to no delay). */
  setChunkDelay(ms: number): Promise<void>;
}

/** Models the bench uses; the embedding model returns 768-dim vectors like nomic-embed-text. */
export const BENCH_MODELS: FakeModel[] = [
  { name: 'llama3.2:latest', family: 'llama', parameterSize: '3.2B' },
  {
    name: 'nomic-embed-text:latest',
    family: 'nomic-bert',
    parameterSize: '137M',
    embeddingDims: 768,
    capabilities: ['embedding'],
  },
];
export const CHAT_MODEL = 'llama3.2';
export const EMBED_MODEL = 'nomic-embed-text';

export async function startFakeProcess(): Promise<FakeHandle> {
  const child = forkMeasured({
    entry: new URL('./fake-main.ts', import.meta.url).pathname,
    execArgv: ['--import', TSX_URL, '--import', PROBE_URL],
    env: { ...process.env, BENCH_FAKE_OPTIONS: JSON.stringify({ models: BENCH_MODELS }) },
  });
  try {
    const ready = await child.waitForMessage(
      (m): m is { type: 'bench:ready'; url: string } =>
        (m as { type?: string }).type === 'bench:ready',
      30_000,
    );
    let nextId = 1;
    return {
      url: ready.url,
      process: child,
      async setChunkDelay(ms) {
        const id = nextId++;
        const done = child.waitForMessage(
          (m): m is object =>
            (m as { type?: string }).type === 'bench:chunk-delay-set' &&
            (m as { id?: number }).id === id,
          5000,
        );
        child.send({ type: 'bench:chunk-delay', ms, id });
        await done;
      },
    };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
