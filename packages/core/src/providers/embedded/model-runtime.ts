/**
 * One model of the embedded engine at run time: loaded on first use, a generation context whose
 * sequences are handed out through a bounded queue, an embedding context made on first need,
 * and the keep-alive timer that unloads it once idle for the last request's keep_alive.
 */
import type { Llama, LlamaContext, LlamaEmbeddingContext, LlamaModel } from 'node-llama-cpp';
import { GatewayError } from '../../errors.js';
import { engineError } from './engine-errors.js';
import type { ModelFile } from './model-registry.js';
import { cancelled, SlotPool } from './slot-pool.js';

export interface RuntimeSettings {
  llama: () => Promise<Llama>;
  threads: number;
  maxSequences: number;
  maxQueue: number;
  queueTimeoutMs: number;
  /** Size of the model's generation context (capped by the model's training size). */
  defaultContextSize: number;
}

export interface LeaseBase {
  model: LlamaModel;
  /** ns spent loading the model for this request (0 when it was loaded already). */
  loadDuration: number;
  /** Returns the slot; keep-alive starts when the model has no more work. */
  release(keepAliveMs: number): Promise<void>;
}

export interface LoadedState {
  file: ModelFile;
  contextLength?: number;
  /** Epoch ms, Infinity = kept forever; undefined while requests run. */
  expiresAt?: number;
  keepAliveMs: number;
}

export class ModelRuntime {
  readonly generation: SlotPool;
  private readonly embedding: SlotPool;
  private model: LlamaModel | undefined;
  private loading: Promise<LlamaModel> | undefined;
  private unloading: Promise<void> | undefined;
  private context: LlamaContext | undefined;
  private contextCreating: Promise<LlamaContext> | undefined;
  private embeddingContext: Promise<LlamaEmbeddingContext> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private keepAliveMs = 0;
  private expiresAt: number | undefined;

  constructor(
    public file: ModelFile,
    private readonly settings: RuntimeSettings,
  ) {
    const pool = { maxQueue: settings.maxQueue, queueTimeoutMs: settings.queueTimeoutMs };
    this.generation = new SlotPool({
      ...pool,
      size: settings.maxSequences,
      label: `model "${file.name}"`,
    });
    this.embedding = new SlotPool({ ...pool, size: 1, label: `embeddings of "${file.name}"` });
  }

  get loaded(): boolean {
    return this.model !== undefined;
  }

  get idle(): boolean {
    return this.generation.idle && this.embedding.idle;
  }

  state(): LoadedState | undefined {
    if (!this.model) return undefined;
    const state: LoadedState = { file: this.file, keepAliveMs: this.keepAliveMs };
    if (this.context) state.contextLength = this.context.contextSize;
    if (this.expiresAt !== undefined) state.expiresAt = this.expiresAt;
    return state;
  }

  /** A sequence of the generation context, for one chat or completion. */
  async leaseSequence(signal: AbortSignal | undefined) {
    return this.lease(this.generation, signal, async (model) => {
      const context = await this.generationContext(model);
      return { sequence: context.getSequence() };
    });
  }

  /** The embedding context, exclusively (its calls are serialised through a one-slot pool). */
  async leaseEmbedding(signal: AbortSignal | undefined) {
    return this.lease(this.embedding, signal, async (model) => {
      const contextSize = Math.min(model.trainContextSize, this.settings.defaultContextSize);
      this.embeddingContext ??= model.createEmbeddingContext({
        contextSize,
        threads: this.settings.threads,
      });
      this.embeddingContext.catch(() => {
        this.embeddingContext = undefined;
      });
      return { embedding: await this.embeddingContext, contextSize };
    });
  }

  private async lease<T extends object>(
    pool: SlotPool,
    signal: AbortSignal | undefined,
    prepare: (model: LlamaModel) => Promise<T>,
  ): Promise<LeaseBase & T> {
    const releaseSlot = await pool.acquire(signal);
    this.cancelTimer();
    let released = false;
    const release = async (keepAliveMs: number) => {
      if (released) return;
      released = true;
      releaseSlot();
      this.keepAliveMs = keepAliveMs;
      this.scheduleUnload();
    };
    try {
      const started = performance.now();
      const wasLoaded = this.model !== undefined;
      const model = await this.loadModel();
      const loadDuration = wasLoaded ? 0 : Math.round((performance.now() - started) * 1e6);
      if (signal?.aborted) throw cancelled();
      const extra = await prepare(model);
      return { model, loadDuration, release, ...extra };
    } catch (error) {
      await release(this.keepAliveMs);
      throw engineError(error, `Embedded engine failed to prepare model "${this.file.name}"`);
    }
  }

  private async loadModel(): Promise<LlamaModel> {
    if (this.unloading) await this.unloading;
    if (this.model) return this.model;
    this.loading ??= (async () => {
      const llama = await this.settings.llama();
      const model = await llama.loadModel({ modelPath: this.file.path });
      this.model = model;
      return model;
    })().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /**
   * The model's one generation context, made on first need at the configured size. Its sequences
   * are shared by every caller, so no request resizes it: a request's num_ctx is clamped to it.
   * (A context per num_ctx would let any caller allocate a KV cache of its choosing; rebuilding
   * the shared one threw away everyone's cache and left later callers with the size one caller
   * picked.)
   */
  private async generationContext(model: LlamaModel): Promise<LlamaContext> {
    if (this.context) return this.context;
    this.contextCreating ??= model
      .createContext({
        contextSize: Math.min(model.trainContextSize, this.settings.defaultContextSize),
        sequences: this.settings.maxSequences,
        threads: this.settings.threads,
      })
      .then((context) => {
        this.context = context;
        return context;
      })
      .finally(() => {
        this.contextCreating = undefined;
      });
    return this.contextCreating;
  }

  private scheduleUnload(): void {
    if (!this.idle || !this.model) return;
    this.cancelTimer();
    if (this.keepAliveMs === Number.POSITIVE_INFINITY) {
      this.expiresAt = Number.POSITIVE_INFINITY;
      return;
    }
    this.expiresAt = Date.now() + this.keepAliveMs;
    if (this.keepAliveMs <= 0) {
      void this.unload();
      return;
    }
    this.timer = setTimeout(() => void this.unload(), this.keepAliveMs);
    this.timer.unref();
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.expiresAt = undefined;
  }

  /** Frees the model and its contexts; `force` also when requests are running (close). */
  async unload(force = false): Promise<void> {
    if (!force && !this.idle) return;
    this.cancelTimer();
    if (this.unloading) return this.unloading;
    const model = this.model ?? (await this.loading?.catch(() => undefined));
    if (!model) return;
    const context = this.context;
    const embedding = this.embeddingContext;
    this.model = undefined;
    this.context = undefined;
    this.embeddingContext = undefined;
    this.unloading = (async () => {
      await context?.dispose();
      await (await embedding?.catch(() => undefined))?.dispose();
      await model.dispose();
    })()
      .catch(() => undefined)
      .finally(() => {
        this.unloading = undefined;
      });
    return this.unloading;
  }

  async close(): Promise<void> {
    const closing = new GatewayError('UPSTREAM_UNAVAILABLE', 'Embedded engine is shutting down', {
      upstream: 'embedded',
    });
    this.generation.rejectWaiting(closing);
    this.embedding.rejectWaiting(closing);
    await this.unload(true);
  }
}
