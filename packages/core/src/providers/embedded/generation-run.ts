/**
 * The life of one chat or completion on the engine, shared by both: wait for a sequence, run
 * the engine, turn its callbacks into a pull stream, measure Ollama's metrics, and on every
 * exit path (end, error, caller abort, consumer `break`) stop the engine and free the sequence.
 */
import type { LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import type { GenerationMetrics } from '../../types.js';
import { engineError } from './engine-errors.js';
import { EventChannel } from './event-channel.js';
import type { ModelRuntime } from './model-runtime.js';
import { cancelled } from './slot-pool.js';
import { TokenBudget } from './token-budget.js';

export interface GenerationPiece {
  content: string;
  thinking?: string;
}

export interface EngineHooks {
  emit(piece: GenerationPiece): void;
  /** Called for every generated token batch: marks the end of prompt evaluation. */
  onTokens(): void;
  /** The text of a chunk the engine handed over, cut to num_predict ('' once it is spent). */
  take(tokens: readonly Token[], text: string): string;
  /** For the engine, with `stopOnAbortSignal`: the caller left, or num_predict is reached. */
  signal: AbortSignal;
}

export type EngineStopReason = string;

export interface GenerationJob {
  runtime: ModelRuntime;
  keepAliveMs: number;
  signal: AbortSignal | undefined;
  /** num_predict: tokens to generate at most (undefined: until the context is full). */
  maxTokens: number | undefined;
  /** Runs the engine on the leased sequence; resolves with node-llama-cpp's stop reason. */
  run(
    target: { sequence: LlamaContextSequence; model: LlamaModel },
    hooks: EngineHooks,
  ): Promise<EngineStopReason>;
}

export type GenerationEvent =
  | { done: false; piece: GenerationPiece }
  | { done: true; doneReason: 'stop' | 'length'; metrics: GenerationMetrics };

const msToNs = (ms: number) => Math.round(ms * 1e6);

export async function* runGeneration(job: GenerationJob): AsyncGenerator<GenerationEvent> {
  const started = performance.now();
  const abort = new AbortController();
  const onCallerAbort = () => abort.abort();
  job.signal?.addEventListener('abort', onCallerAbort, { once: true });
  if (job.signal?.aborted) abort.abort();

  let lease: Awaited<ReturnType<ModelRuntime['leaseSequence']>>;
  try {
    lease = await job.runtime.leaseSequence(abort.signal);
  } catch (error) {
    job.signal?.removeEventListener('abort', onCallerAbort);
    throw error;
  }
  const { sequence, model } = lease;
  const meterBefore = sequence.tokenMeter.getState();
  const channel = new EventChannel<GenerationPiece>();
  const budget = new TokenBudget(model, job.maxTokens, abort.signal);
  /**
   * Tokens generated: what the engine metered, or what it handed over when more (a last token
   * sampled but not evaluated again is not metered), never past num_predict (a token the engine
   * sampled beyond it was not sent).
   */
  const outputTokens = (metered: number) =>
    Math.min(Math.max(metered, budget.used), job.maxTokens ?? Number.POSITIVE_INFINITY);
  const evalStarted = performance.now();
  let firstTokenAt: number | undefined;
  let stopReason: EngineStopReason | undefined;
  const running = job
    .run(
      { sequence, model },
      {
        emit: (piece) => channel.push(piece),
        onTokens: () => {
          firstTokenAt ??= performance.now();
        },
        take: (tokens, text) => budget.take(tokens, text),
        signal: budget.signal,
      },
    )
    .then(
      (reason) => {
        stopReason = reason;
        channel.end();
      },
      (error: unknown) => channel.fail(error),
    );

  try {
    for await (const piece of channel.drain()) {
      // Chunks may be buffered when the caller aborts: none is delivered after the abort.
      if (job.signal?.aborted) throw cancelled();
      yield { done: false, piece };
    }
    if (job.signal?.aborted) throw cancelled();
    const ended = performance.now();
    const meterAfter = sequence.tokenMeter.getState();
    const firstToken = firstTokenAt ?? ended;
    yield {
      done: true,
      doneReason: budget.spent || stopReason === 'maxTokens' ? 'length' : 'stop',
      metrics: {
        totalDuration: msToNs(ended - started),
        loadDuration: lease.loadDuration,
        promptEvalCount: meterAfter.usedInputTokens - meterBefore.usedInputTokens,
        promptEvalDuration: msToNs(firstToken - evalStarted),
        evalCount: outputTokens(meterAfter.usedOutputTokens - meterBefore.usedOutputTokens),
        evalDuration: msToNs(ended - firstToken),
      },
    };
  } catch (error) {
    if (job.signal?.aborted) throw cancelled();
    throw engineError(error, 'Embedded engine generation failed');
  } finally {
    job.signal?.removeEventListener('abort', onCallerAbort);
    // A consumer `break` lands here with the engine still running: stop it, then free the slot.
    abort.abort();
    await running;
    await sequence.dispose().catch(() => undefined);
    await lease.release(job.keepAliveMs);
  }
}
