/**
 * The embedded engine as a Provider: GGUF files in MODELS_DIR served by llama.cpp through
 * node-llama-cpp, in process. Models load on first use and unload after keep_alive; each
 * loaded model serves `maxSequences` generations at once, with a bounded queue in front.
 */
import { unlink } from 'node:fs/promises';
import type { Llama } from 'node-llama-cpp';
import { GatewayError } from '../../errors.js';
import { aggregateChat, aggregateGenerate } from '../../streams/aggregate.js';
import type {
  ChatRequest,
  ChatStreamEvent,
  EmbedRequest,
  EmbedResult,
  GenerateRequest,
  GenerateStreamEvent,
  KeepAlive,
  ModelOptions,
  ModelShow,
  PullProgress,
  RunningModel,
} from '../../types.js';
import type { CallOptions, Provider, Resolved } from '../provider.js';
import { runningModels, showModel } from './catalogue.js';
import { runChat, toChatEvent, validateChatRequest } from './chat.js';
import { computeEmbeddings, embedInputs } from './embed.js';
import {
  acquireLlama,
  engineThreads,
  loadNodeLlamaCpp,
  type NodeLlamaCpp,
  nodeLlamaCppVersion,
  releaseLlama,
} from './engine.js';
import { runGenerate, toGenerateEvent, validateGenerateRequest } from './generate.js';
import { type GenerationEvent, type GenerationJob, runGeneration } from './generation-run.js';
import { keepAliveMs } from './keep-alive.js';
import { modelNameKey } from './model-names.js';
import { ModelRegistry } from './model-registry.js';
import { ModelRuntime, type RuntimeSettings } from './model-runtime.js';
import { mapModelOptions, type SamplingOptions } from './options.js';
import { downloadModel } from './pull.js';
import { parsePullRef } from './pull-ref.js';

export interface EmbeddedProviderOptions {
  /** Directory of `.gguf` files (MODELS_DIR); created on first pull if missing. */
  modelsDir: string;
  /** Concurrent generations per loaded model (context sequences). Default 2. */
  maxSequences?: number;
  /** Requests allowed to wait for a sequence, per model; beyond → OVERLOADED. Default 16. */
  maxQueue?: number;
  /** Longest wait for a sequence, ms; beyond → OVERLOADED. Default 60 000. */
  queueTimeoutMs?: number;
  /** keep_alive when a request gives none (seconds or Go duration). Default "5m". */
  defaultKeepAlive?: KeepAlive;
  /**
   * Size of each loaded model's one generation context (capped by the model's trained size).
   * Requests cannot resize it: a request's num_ctx is clamped to it. Default 4096.
   */
  defaultContextSize?: number;
  /** Evaluation threads. Default: cores − 1 (at least 1); more than free cores is much slower. */
  threads?: number;
}

const ID = 'embedded';

function positiveInteger(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new GatewayError('BAD_REQUEST', `Embedded engine: ${field} must be a positive integer`, {
      fieldErrors: [{ path: field, message: 'must be a positive integer' }],
    });
  }
  return value;
}

class EmbeddedProvider implements Provider {
  readonly id = ID;
  readonly kind = 'embedded' as const;
  private readonly registry: ModelRegistry;
  private readonly runtimes = new Map<string, ModelRuntime>();
  private readonly settings: RuntimeSettings;
  private readonly defaultKeepAliveMs: number;
  private llama: Promise<Llama> | undefined;
  private closed = false;

  constructor(options: EmbeddedProviderOptions) {
    this.registry = new ModelRegistry(options.modelsDir);
    this.defaultKeepAliveMs = keepAliveMs(options.defaultKeepAlive ?? '5m', 'defaultKeepAlive');
    this.settings = {
      llama: () => this.sharedLlama(),
      threads: positiveInteger(options.threads, engineThreads(), 'threads'),
      maxSequences: positiveInteger(options.maxSequences, 2, 'maxSequences'),
      maxQueue: options.maxQueue === 0 ? 0 : positiveInteger(options.maxQueue, 16, 'maxQueue'),
      queueTimeoutMs: positiveInteger(options.queueTimeoutMs, 60_000, 'queueTimeoutMs'),
      defaultContextSize: positiveInteger(options.defaultContextSize, 4096, 'defaultContextSize'),
    };
  }

  chat(request: Resolved<ChatRequest>, options?: CallOptions) {
    return aggregateChat(this.chatStream(request, options));
  }

  async *chatStream(
    request: Resolved<ChatRequest>,
    options: CallOptions = {},
  ): AsyncGenerator<ChatStreamEvent> {
    validateChatRequest(request);
    yield* this.generation(
      request,
      options.signal,
      (module, sampling) => (target, hooks) => runChat(module, target, request, sampling, hooks),
      toChatEvent,
    );
  }

  generate(request: Resolved<GenerateRequest>, options?: CallOptions) {
    return aggregateGenerate(this.generateStream(request, options));
  }

  async *generateStream(
    request: Resolved<GenerateRequest>,
    options: CallOptions = {},
  ): AsyncGenerator<GenerateStreamEvent> {
    validateGenerateRequest(request);
    yield* this.generation(
      request,
      options.signal,
      (module, sampling) => (target, hooks) =>
        runGenerate(module, target, request, sampling, hooks),
      toGenerateEvent,
    );
  }

  async embed(request: Resolved<EmbedRequest>, options: CallOptions = {}): Promise<EmbedResult> {
    const started = performance.now();
    const inputs = embedInputs(request);
    const keepAlive = this.keepAlive(request.keepAlive);
    const runtime = await this.runtime(request.model);
    const lease = await runtime.leaseEmbedding(options.signal);
    try {
      const { embeddings, promptEvalCount } = await computeEmbeddings(
        lease,
        inputs,
        request,
        options.signal,
      );
      return {
        model: request.model,
        embeddings,
        metrics: {
          totalDuration: Math.round((performance.now() - started) * 1e6),
          loadDuration: lease.loadDuration,
          promptEvalCount,
        },
      };
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      throw new GatewayError('UPSTREAM_ERROR', 'Embedded engine failed to compute embeddings', {
        upstream: ID,
        cause: error,
      });
    } finally {
      await lease.release(keepAlive);
    }
  }

  async list() {
    this.assertOpen();
    const files = await this.registry.files();
    return Promise.all(files.map((file) => this.registry.info(file)));
  }

  async show(model: string): Promise<ModelShow> {
    this.assertOpen();
    return showModel(this.registry, model);
  }

  running(): Promise<RunningModel[]> {
    return runningModels(this.registry, this.runtimes.values());
  }

  async *pull(model: string, options: CallOptions = {}): AsyncGenerator<PullProgress> {
    this.assertOpen();
    const ref = parsePullRef(model);
    for await (const event of downloadModel(ref, this.registry.modelsDir, options.signal)) {
      if (event.status === 'success') await this.forgetModel(ref.modelName);
      yield event;
    }
  }

  async delete(model: string): Promise<void> {
    this.assertOpen();
    const file = await this.registry.resolve(model);
    await this.forgetModel(file.name);
    try {
      await unlink(file.path);
    } catch (cause) {
      throw new GatewayError('UPSTREAM_ERROR', `Model "${file.name}" could not be deleted`, {
        upstream: ID,
        cause,
      });
    }
  }

  async version(): Promise<string> {
    this.assertOpen();
    return nodeLlamaCppVersion();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.runtimes.values()].map((r) => r.close()));
    this.runtimes.clear();
    if (this.llama) {
      this.llama = undefined;
      await releaseLlama();
    }
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new GatewayError('UPSTREAM_UNAVAILABLE', 'Embedded engine is closed', { upstream: ID });
    }
  }

  private keepAlive(value: KeepAlive | undefined): number {
    return value === undefined ? this.defaultKeepAliveMs : keepAliveMs(value);
  }

  private sharedLlama(): Promise<Llama> {
    if (!this.llama) {
      const pending = acquireLlama();
      this.llama = pending;
      pending.catch(() => {
        if (this.llama === pending) this.llama = undefined;
      });
    }
    return this.llama;
  }

  /** The runtime of a model file; a replaced file (new size/mtime) gets a fresh runtime. */
  private async runtime(model: string): Promise<ModelRuntime> {
    this.assertOpen();
    const file = await this.registry.resolve(model);
    const key = modelNameKey(file.name);
    const existing = this.runtimes.get(key);
    if (existing && existing.file.stamp === file.stamp) return existing;
    if (existing?.idle) await existing.unload();
    const runtime = existing ?? new ModelRuntime(file, this.settings);
    runtime.file = file;
    this.runtimes.set(key, runtime);
    return runtime;
  }

  /**
   * One generation (chat or plain completion): options mapped, the model's runtime found, the
   * engine run in a leased sequence, its events shaped by `toEvent`.
   */
  private async *generation<E>(
    request: { model: string; keepAlive?: KeepAlive; options?: ModelOptions },
    signal: AbortSignal | undefined,
    start: (module: NodeLlamaCpp, sampling: SamplingOptions) => GenerationJob['run'],
    toEvent: (model: string, event: GenerationEvent) => E,
  ): AsyncGenerator<E> {
    const { sampling } = mapModelOptions(request.options);
    const module = await loadNodeLlamaCpp();
    const keepAliveMsValue = this.keepAlive(request.keepAlive);
    const runtime = await this.runtime(request.model);
    const job: GenerationJob = {
      runtime,
      keepAliveMs: keepAliveMsValue,
      signal,
      maxTokens: sampling.maxTokens,
      run: start(module, sampling),
    };
    for await (const event of runGeneration(job)) yield toEvent(request.model, event);
  }

  /** Unloads (when idle) and drops cached facts of a model whose file changes or goes. */
  private async forgetModel(name: string): Promise<void> {
    const key = modelNameKey(name);
    const runtime = this.runtimes.get(key);
    if (runtime) {
      this.registry.forget(runtime.file.path);
      if (runtime.idle) {
        await runtime.unload();
        this.runtimes.delete(key);
      }
    }
  }
}

export function createEmbeddedProvider(options: EmbeddedProviderOptions): Provider {
  return new EmbeddedProvider(options);
}
