import type {
  ChatRequest,
  ChatResult,
  ChatStreamEvent,
  EmbedRequest,
  EmbedResult,
  GenerateRequest,
  GenerateResult,
  GenerateStreamEvent,
  ModelInfo,
  ModelShow,
  PullProgress,
  RunningModel,
} from '../types.js';

/** Every provider call takes the caller's signal; aborting it must close the upstream work. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Extra request headers for the upstream (W3C trace context); Ollama upstreams send them. */
  headers?: Record<string, string>;
}

/** A request whose model has been resolved by the policy (alias → name, default applied). */
export type Resolved<T extends { model?: string }> = Omit<T, 'model'> & { model: string };

/**
 * One upstream: an Ollama instance or the embedded engine. Providers throw only GatewayError.
 * Streaming methods return lazy async iterables: no upstream work starts before the first
 * `next()`, and `return()` (a consumer's `break`) closes the upstream request.
 */
export interface Provider {
  /**
   * Stable name, unique among upstreams: what answers, usage records, metrics and errors show
   * (`ollama-1`, `gpu1`, `embedded`), never where the upstream runs.
   */
  readonly id: string;
  readonly kind: 'ollama' | 'embedded';
  /** Where it runs (an Ollama base URL); shown to admin keys only. */
  readonly url?: string;

  chat(request: Resolved<ChatRequest>, options?: CallOptions): Promise<ChatResult>;
  chatStream(request: Resolved<ChatRequest>, options?: CallOptions): AsyncIterable<ChatStreamEvent>;
  generate(request: Resolved<GenerateRequest>, options?: CallOptions): Promise<GenerateResult>;
  generateStream(
    request: Resolved<GenerateRequest>,
    options?: CallOptions,
  ): AsyncIterable<GenerateStreamEvent>;
  embed(request: Resolved<EmbedRequest>, options?: CallOptions): Promise<EmbedResult>;

  list(options?: CallOptions): Promise<ModelInfo[]>;
  show(model: string, options?: CallOptions): Promise<ModelShow>;
  running(options?: CallOptions): Promise<RunningModel[]>;
  pull(model: string, options?: CallOptions): AsyncIterable<PullProgress>;
  delete(model: string, options?: CallOptions): Promise<void>;
  /** The upstream's version string; throws UPSTREAM_UNAVAILABLE when it does not answer. */
  version(options?: CallOptions): Promise<string>;
  /** Releases sockets, timers, loaded models. */
  close(): Promise<void>;
}
