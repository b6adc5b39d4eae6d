import { describe, expect, it } from 'vitest';
import { GatewayError, parsePullRef } from '../src/index.js';
import { keepAliveMs } from '../src/providers/embedded/keep-alive.js';
import { mapModelOptions } from '../src/providers/embedded/options.js';
import { SlotPool } from '../src/providers/embedded/slot-pool.js';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof GatewayError ? error.code : 'not a GatewayError';
  }
  return undefined;
}

describe('parsePullRef', () => {
  const sha = 'ab'.repeat(32);

  it('takes an http(s) URL with an optional sha256 and name in the fragment', () => {
    expect(
      parsePullRef(`http://127.0.0.1:9/files/My-Model.Q4.gguf#sha256=${sha.toUpperCase()}`),
    ).toEqual({
      url: 'http://127.0.0.1:9/files/My-Model.Q4.gguf',
      fileName: 'My-Model.Q4.gguf',
      modelName: 'My-Model.Q4:latest',
      sha256: sha,
    });
    expect(parsePullRef('https://example.com/a/b.gguf?download=1#name=chat:small')).toMatchObject({
      url: 'https://example.com/a/b.gguf?download=1',
      fileName: 'chat:small.gguf',
      modelName: 'chat:small',
    });
  });

  it('maps hf: references to the Hugging Face resolve URL', () => {
    expect(parsePullRef('hf:someone/tiny-GGUF/tiny.Q8_0.gguf').url).toBe(
      'https://huggingface.co/someone/tiny-GGUF/resolve/main/tiny.Q8_0.gguf',
    );
    expect(parsePullRef('hf:someone/repo@v1.0/sub dir/x.gguf')).toMatchObject({
      url: 'https://huggingface.co/someone/repo/resolve/v1.0/sub%20dir/x.gguf',
      fileName: 'x.gguf',
    });
  });

  it.each([
    ['llama3.2', 'registry name'],
    ['ftp://host/x.gguf', 'other scheme'],
    ['https://host/x.bin', 'not .gguf'],
    ['hf:only-owner/x.gguf', 'hf without repo'],
    ['https://host/x.gguf#sha256=123', 'short sha'],
    ['https://host/x.gguf#name=../evil', 'path in name'],
  ])('rejects %s (%s) as BAD_REQUEST on field "name"', (ref) => {
    try {
      parsePullRef(ref);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).code).toBe('BAD_REQUEST');
      expect((error as GatewayError).fieldErrors?.[0]?.path).toBe('name');
    }
  });
});

describe('keepAliveMs', () => {
  it('reads seconds, Go durations and "forever"', () => {
    expect(keepAliveMs(30)).toBe(30_000);
    expect(keepAliveMs('0')).toBe(0);
    expect(keepAliveMs('5m')).toBe(300_000);
    expect(keepAliveMs('1h30m')).toBe(5_400_000);
    expect(keepAliveMs('250ms')).toBe(250);
    expect(keepAliveMs(-1)).toBe(Number.POSITIVE_INFINITY);
    expect(keepAliveMs('-1m')).toBe(Number.POSITIVE_INFINITY);
    expect(codeOf(() => keepAliveMs('soon'))).toBe('BAD_REQUEST');
  });
});

describe('mapModelOptions', () => {
  it('uses Ollama defaults and maps names', () => {
    const defaults = mapModelOptions(undefined).sampling;
    expect(defaults).toEqual({
      temperature: 0.8,
      topK: 40,
      topP: 0.9,
      stop: [],
      repeatPenalty: { penalty: 1.1, lastTokens: 64 },
      seed: expect.any(Number),
    });
    // No seed given: each request draws its own, as Ollama does.
    const seeds = new Set(
      Array.from({ length: 8 }, () => mapModelOptions(undefined).sampling.seed),
    );
    expect(seeds.size).toBeGreaterThan(1);
    const mapped = mapModelOptions({
      temperature: 0,
      seed: 3,
      num_predict: 5,
      num_ctx: 1024,
      stop: ['\n\n'],
      repeat_penalty: 1,
    });
    expect(mapped).toEqual({
      sampling: {
        temperature: 0,
        topK: 40,
        topP: 0.9,
        seed: 3,
        maxTokens: 5,
        stop: ['\n\n'],
        repeatPenalty: false,
      },
    });
    expect(mapModelOptions({ num_predict: -1 }).sampling.maxTokens).toBeUndefined();
  });

  it('names every invalid option', () => {
    try {
      mapModelOptions({ top_k: 1.5, num_ctx: 0, stop: [1] as never, seed: 'x' as never });
      expect.unreachable();
    } catch (error) {
      expect((error as GatewayError).fieldErrors?.map((f) => f.path)).toEqual([
        'options.top_k',
        'options.seed',
        'options.num_ctx',
        'options.stop',
      ]);
    }
  });
});

describe('SlotPool', () => {
  const pool = () => new SlotPool({ size: 1, maxQueue: 1, queueTimeoutMs: 50, label: 'test' });

  it('hands a released slot to the first waiter and refuses when the queue is full', async () => {
    const p = pool();
    const release = await p.acquire();
    const waiting = p.acquire();
    await expect(p.acquire()).rejects.toMatchObject({ code: 'OVERLOADED', retryAfterSeconds: 1 });
    expect([p.active, p.queued]).toEqual([1, 1]);
    release();
    release(); // idempotent
    const second = await waiting;
    expect([p.active, p.queued]).toEqual([1, 0]);
    second();
    expect(p.idle).toBe(true);
  });

  it('times out a waiter with OVERLOADED and cancels one whose signal aborts', async () => {
    const p = pool();
    const release = await p.acquire();
    await expect(p.acquire()).rejects.toMatchObject({ code: 'OVERLOADED' });
    const controller = new AbortController();
    const waiting = p.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(p.queued).toBe(0);
    release();
    expect(p.idle).toBe(true);
  });
});
