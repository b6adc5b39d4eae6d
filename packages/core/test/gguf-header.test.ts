import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTinyGguf, encodeGguf } from '@intellicore/testkit';
import { readGgufFileInfo } from 'node-llama-cpp';
import { afterAll, describe, expect, it } from 'vitest';
import { ggufFacts } from '../src/providers/embedded/gguf-facts.js';
import { fileTypeName, readGgufHeader } from '../src/providers/embedded/gguf-header.js';

const dir = mkdtempSync(join(tmpdir(), 'gguf-header-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** node-llama-cpp's nested metadata, flattened to dotted keys the way our reader keeps them. */
function flatten(value: unknown, prefix: string, out: Record<string, unknown>) {
  if (Array.isArray(value)) out[prefix] = value.length > 64 ? null : value;
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out[prefix] = typeof value === 'bigint' ? Number(value) : value;
  return out;
}

describe('readGgufHeader (without node-llama-cpp)', () => {
  it('reads what node-llama-cpp reads: every metadata key and every tensor shape', async () => {
    const path = join(dir, 'tiny.gguf');
    writeFileSync(path, buildTinyGguf({ seed: 3, contextLength: 1024 }));
    const ours = await readGgufHeader(path);
    const theirs = await readGgufFileInfo(path, { sourceType: 'filesystem', logWarnings: false });
    expect(ours.version).toBe(3);
    const expected = flatten(theirs.metadata, '', {});
    expect(Object.keys(ours.metadata).sort()).toEqual(Object.keys(expected).sort());
    for (const [key, value] of Object.entries(expected)) {
      if (typeof value === 'number' && !Number.isInteger(value)) {
        expect(ours.metadata[key], key).toBeCloseTo(value, 6);
      } else {
        expect(ours.metadata[key], key).toEqual(value);
      }
    }
    expect(ours.metadata['tokenizer.ggml.tokens']).toBeNull(); // the vocabulary is skipped
    expect(ours.tensorDimensions).toEqual(
      (theirs.tensorInfo ?? []).map((t) => t.dimensions.map(Number)),
    );
    const facts = ggufFacts(ours);
    expect(facts).toMatchObject({
      architecture: 'llama',
      contextLength: 1024,
      details: { format: 'gguf', family: 'llama', quantizationLevel: 'F32' },
    });
    expect(facts.parameterCount).toBeGreaterThan(100_000);
  });

  it('reads a header longer than the first read (a large vocabulary)', async () => {
    const tokens = Array.from({ length: 60_000 }, (_, i) => `token-${i}-${'x'.repeat(20)}`);
    const bytes = encodeGguf({
      metadata: [
        ['general.architecture', { type: 'string', value: 'llama' }],
        ['tokenizer.ggml.tokens', { type: 'array', itemType: 'string', value: tokens }],
        ['llama.context_length', { type: 'uint32', value: 4096 }],
      ],
      tensors: [{ name: 'w', dims: [4, 2], data: new Float32Array(8) }],
      alignment: 32,
    });
    expect(bytes.length).toBeGreaterThan(2 << 20);
    const path = join(dir, 'big-vocab.gguf');
    writeFileSync(path, bytes);
    const header = await readGgufHeader(path);
    expect(header.metadata['llama.context_length']).toBe(4096);
    expect(header.tensorDimensions).toEqual([[4, 2]]);
  });

  it('refuses what is not GGUF, and a header cut short, with a message', async () => {
    const notGguf = join(dir, 'not.gguf');
    writeFileSync(notGguf, 'hello, this is text');
    await expect(readGgufHeader(notGguf)).rejects.toThrow(/not a GGUF file/);
    const cut = join(dir, 'cut.gguf');
    writeFileSync(cut, buildTinyGguf().subarray(0, 200));
    await expect(readGgufHeader(cut)).rejects.toThrow(/ends past the end of the file/);
  });

  it('names llama.cpp file types as Ollama does', () => {
    expect(fileTypeName(0)).toBe('F32');
    expect(fileTypeName(15)).toBe('Q4_K_M');
    expect(fileTypeName(7)).toBe('Q8_0');
    expect(fileTypeName(999)).toBeUndefined();
    expect(fileTypeName('15')).toBeUndefined();
  });
});
