import { describe, expect, it, vi } from 'vitest';
import { createEmbedBatcher, type EmbedRunner } from '../src/embeddings/embed-batcher.js';
import type { EmbedResult } from '../src/types.js';

// When a batch leaves: at once (end of this event-loop turn) when nothing of its kind is in
// flight, after the window while something is. The runner stands in for the upstream call.
function recordingRunner() {
  const calls: { inputs: string[]; finish(): void }[] = [];
  const run: EmbedRunner = (request) =>
    new Promise<EmbedResult>((resolve) => {
      const inputs = Array.isArray(request.input) ? request.input : [request.input];
      const answer: EmbedResult = {
        model: request.model,
        embeddings: inputs.map((text) => [text.length]),
        metrics: { promptEvalCount: inputs.length },
      };
      calls.push({ inputs, finish: () => resolve(answer) });
    });
  return { run, calls };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('embed batcher departures', () => {
  it('a lone call leaves at the end of this turn, not after the window', async () => {
    const { run, calls } = recordingRunner();
    const batcher = createEmbedBatcher(run, { windowMs: 2 });
    const answer = batcher.embed({ model: 'm', input: 'alone' });
    await turn();
    expect(calls.map((c) => c.inputs)).toEqual([['alone']]);
    calls[0]?.finish();
    expect((await answer).embeddings).toEqual([[5]]);
  });

  it('calls of the same turn share one upstream call', async () => {
    const { run, calls } = recordingRunner();
    const batcher = createEmbedBatcher(run, { windowMs: 2 });
    const answers = ['a', 'bb', 'ccc'].map((input) => batcher.embed({ model: 'm', input }));
    await turn();
    expect(calls.map((c) => c.inputs)).toEqual([['a', 'bb', 'ccc']]);
    calls[0]?.finish();
    expect((await Promise.all(answers)).map((a) => a.embeddings)).toEqual([[[1]], [[2]], [[3]]]);
  });

  it('while a batch is in flight, later calls wait for the window and leave together', async () => {
    // The window's clock is faked (a loaded machine must not decide the test); turns stay real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { run, calls } = recordingRunner();
      const batcher = createEmbedBatcher(run, { windowMs: 2 });
      const first = batcher.embed({ model: 'm', input: 'first' });
      await turn();
      expect(calls).toHaveLength(1);
      const later: Promise<EmbedResult>[] = [];
      for (const input of ['x', 'yy', 'zzz']) {
        later.push(batcher.embed({ model: 'm', input }));
        await turn(); // separate turns: only the window brings them together
      }
      expect(calls).toHaveLength(1);
      vi.advanceTimersByTime(1);
      expect(calls).toHaveLength(1);
      vi.advanceTimersByTime(1);
      expect(calls.map((c) => c.inputs)).toEqual([['first'], ['x', 'yy', 'zzz']]);
      for (const call of calls) call.finish();
      await first;
      expect((await Promise.all(later)).map((a) => a.embeddings)).toEqual([[[1]], [[2]], [[3]]]);
      // Nothing in flight again: the next lone call leaves at once.
      const next = batcher.embed({ model: 'm', input: 'again' });
      await turn();
      expect(calls).toHaveLength(3);
      calls[2]?.finish();
      await next;
    } finally {
      vi.useRealTimers();
    }
  });
});
