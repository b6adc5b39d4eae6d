import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama, type Llama, LlamaCompletion, type LlamaModel } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyGguf } from '../src/index.js';

// Loads the generated file in the real llama.cpp engine (CPU prebuilt binary, no download).
// Fewer threads than cores: llama.cpp's spinning threads crawl when they outnumber free cores.
const threads = Math.max(1, availableParallelism() - 1);
describe('generated GGUF in node-llama-cpp', () => {
  let dir: string;
  let llama: Llama;
  let model: LlamaModel;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tiny-gguf-engine-'));
    const path = join(dir, 'tiny.gguf');
    await writeTinyGguf(path, { seed: 3 });
    llama = await getLlama({ gpu: false, build: 'never' });
    model = await llama.loadModel({ modelPath: path });
  }, 60_000);

  afterAll(async () => {
    await llama?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('generates the requested number of tokens, the same ones twice at temperature 0', async () => {
    const context = await model.createContext({ contextSize: 256, threads });
    try {
      const run = async () => {
        const sequence = context.getSequence();
        const tokens: number[] = [];
        const completion = new LlamaCompletion({ contextSequence: sequence });
        await completion.generateCompletion('hello world', {
          maxTokens: 16,
          temperature: 0,
          onToken: (chunk) => tokens.push(...chunk),
        });
        sequence.dispose();
        return tokens;
      };
      const first = await run();
      expect(first).toHaveLength(16);
      expect(await run()).toEqual(first);
    } finally {
      await context.dispose();
    }
  }, 30_000);

  it('returns embeddings with embedding_length dimensions', async () => {
    const embedding = await model.createEmbeddingContext({ threads });
    try {
      const { vector } = await embedding.getEmbeddingFor('any text, even ünïcode');
      expect(vector).toHaveLength(64);
      expect(vector.some((v) => v !== 0)).toBe(true);
    } finally {
      await embedding.dispose();
    }
  }, 30_000);
});
