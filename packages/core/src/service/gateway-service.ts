import type { CatalogueModel, UpstreamHealth } from '../routing/pool-report.js';
import type {
  ChatRequest,
  ChatResult,
  ChatStreamEvent,
  EmbedRequest,
  EmbedResult,
  GenerateRequest,
  GenerateResult,
  GenerateStreamEvent,
  ModelShow,
  PullProgress,
  RunningModel,
} from '../types.js';
import type { Caller, RequestContext } from './context.js';

export interface RunningCatalogueModel extends RunningModel {
  upstream: string;
}

export interface AllowedModels {
  /** Exact names allowed (`name` ≡ `name:latest`); null means every model is allowed. */
  models: string[] | null;
  aliases: Record<string, string>;
  defaultChatModel: string;
  defaultEmbeddingModel: string;
}

export interface HealthReport {
  ready: boolean;
  upstreams: UpstreamHealth[];
  store: { ok: boolean; error?: string };
}

/**
 * The one facade the transports call (tRPC routers, `/v1`, `/api`). Every rule — allow-list,
 * aliases, limits, cache, usage — is applied here, so it holds whichever door a request used.
 * All methods throw only GatewayError.
 */
export interface GatewayService {
  chat(request: ChatRequest, ctx: RequestContext): Promise<ChatResult>;
  chatStream(request: ChatRequest, ctx: RequestContext): AsyncIterable<ChatStreamEvent>;
  generate(request: GenerateRequest, ctx: RequestContext): Promise<GenerateResult>;
  generateStream(request: GenerateRequest, ctx: RequestContext): AsyncIterable<GenerateStreamEvent>;
  embed(request: EmbedRequest, ctx: RequestContext): Promise<EmbedResult>;

  listModels(ctx: RequestContext): Promise<CatalogueModel[]>;
  showModel(name: string, ctx: RequestContext): Promise<ModelShow>;
  runningModels(ctx: RequestContext): Promise<RunningCatalogueModel[]>;
  allowedModels(): AllowedModels;
  /** Admin scope only (FORBIDDEN otherwise), checked when iteration starts. */
  pullModel(name: string, ctx: RequestContext): AsyncIterable<PullProgress>;
  /** Admin scope only (FORBIDDEN otherwise). */
  deleteModel(name: string, ctx: RequestContext): Promise<void>;

  /** The full report (upstream URLs, versions, errors): for the gateway itself, and through
   * `healthView` for callers. */
  health(): Promise<HealthReport>;
  /** Stops health checks, closes providers and stores. */
  close(): Promise<void>;
}

export type { Caller, CatalogueModel, RequestContext, UpstreamHealth };
