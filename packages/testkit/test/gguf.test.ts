import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGgufFileInfo } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTinyGguf,
  DEFAULT_CHAT_TEMPLATE,
  DEMO_MODEL_NAME,
  ensureDemoModel,
  writeTinyGguf,
} from '../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tiny-gguf-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('buildTinyGguf', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = buildTinyGguf({ seed: 7 });
    const b = buildTinyGguf({ seed: 7 });
    const c = buildTinyGguf({ seed: 8 });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(c.length).toBe(a.length);
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });

  it('starts with a GGUF v3 header and stays a few hundred KB', () => {
    const bytes = buildTinyGguf();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('GGUF');
    expect(view.getUint32(4, true)).toBe(3);
    expect(view.getBigUint64(8, true)).toBe(21n); // token_embd + 9 per block × 2 + output_norm + output
    expect(bytes.length).toBeGreaterThan(100_000);
    expect(bytes.length).toBeLessThan(1_000_000);
  });

  it('rejects a head count that does not divide the embedding length', () => {
    expect(() => buildTinyGguf({ embeddingLength: 64, headCount: 5 })).toThrow(/headCount/);
  });
});

describe('metadata read back by node-llama-cpp', () => {
  it('has the llama architecture, sizes, tokenizer and chat template', async () => {
    const path = join(dir, 'custom.gguf');
    await writeTinyGguf(path, { embeddingLength: 32, blockCount: 1, headCount: 2, name: 'x-test' });
    const info = await readGgufFileInfo(path);
    const md = info.metadata as unknown as Record<string, Record<string, unknown>>;
    expect(info.version).toBe(3);
    expect(md.general).toMatchObject({ architecture: 'llama', name: 'x-test', alignment: 32 });
    expect(md.llama).toMatchObject({
      context_length: 512,
      embedding_length: 32,
      block_count: 1,
      feed_forward_length: 128,
      rope: { dimension_count: 16 },
    });
    const tokenizer = md.tokenizer as { ggml: Record<string, unknown>; chat_template: string };
    const tokens = tokenizer.ggml.tokens as string[];
    expect(tokens.slice(0, 3)).toEqual(['<unk>', '<s>', '</s>']);
    expect(tokens[3]).toBe('<0x00>');
    expect(tokens[258]).toBe('<0xFF>');
    expect(tokens.length).toBeGreaterThan(259 + 24);
    expect(tokenizer.ggml.eos_token_id).toBe(2);
    expect(tokenizer.chat_template).toBe(DEFAULT_CHAT_TEMPLATE);
    const embd = info.tensorInfo?.find((t) => t.name === 'token_embd.weight');
    expect(embd?.dimensions.map(Number)).toEqual([32, tokens.length]);
    expect(
      info.tensorInfo?.find((t) => t.name === 'blk.0.ffn_down.weight')?.dimensions.map(Number),
    ).toEqual([128, 32]);
  });

  it('omits the chat template when asked', async () => {
    const path = join(dir, 'no-template.gguf');
    await writeTinyGguf(path, { chatTemplate: false });
    const info = await readGgufFileInfo(path);
    expect(
      (info.metadata as { tokenizer: Record<string, unknown> }).tokenizer.chat_template,
    ).toBeUndefined();
  });
});

describe('ensureDemoModel', () => {
  it('creates the demo file once, then reports it as present', async () => {
    const modelsDir = join(dir, 'models');
    const first = await ensureDemoModel(modelsDir);
    expect(first).toEqual({ path: join(modelsDir, `${DEMO_MODEL_NAME}.gguf`), created: true });
    expect((await stat(first.path)).size).toBe(buildTinyGguf({ name: DEMO_MODEL_NAME }).length);
    expect(await ensureDemoModel(modelsDir)).toEqual({ path: first.path, created: false });
  });
});
