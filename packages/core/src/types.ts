/**
 * Domain types shared by every provider and transport. Field names are camelCase; model
 * `options` keep Ollama's own names (`top_p`, `num_ctx`, …) because that is the vocabulary
 * of every Ollama user, and unknown options pass through untouched.
 */

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface ToolCall {
  function: { index?: number; name: string; arguments: Record<string, unknown> };
}

export interface ChatMessage {
  role: Role;
  content: string;
  /** Base64-encoded images (no data: prefix), as Ollama takes them. */
  images?: string[];
  toolCalls?: ToolCall[];
  /** For role `tool`: the tool whose result this is. */
  toolName?: string;
  thinking?: string;
}

export interface ToolDefinition {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

/** `"json"` or a JSON Schema object. */
export type ResponseFormat = 'json' | Record<string, unknown>;

/** Ollama model options, by Ollama's names; anything else is passed through as given. */
export interface ModelOptions {
  temperature?: number;
  top_p?: number;
  top_k?: number;
  min_p?: number;
  seed?: number;
  num_ctx?: number;
  num_predict?: number;
  stop?: string[];
  repeat_penalty?: number;
  repeat_last_n?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  [option: string]: unknown;
}

/** Seconds (number; negative = forever) or a Go duration string (`"5m"`, `"0"`). */
export type KeepAlive = number | string;
export type Think = boolean | 'low' | 'medium' | 'high';

export interface ChatRequest {
  /** Model name or alias; the policy's default chat model when absent. */
  model?: string;
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  format?: ResponseFormat;
  options?: ModelOptions;
  keepAlive?: KeepAlive;
  think?: Think;
}

export interface GenerateRequest {
  model?: string;
  prompt: string;
  suffix?: string;
  system?: string;
  template?: string;
  raw?: boolean;
  images?: string[];
  format?: ResponseFormat;
  options?: ModelOptions;
  keepAlive?: KeepAlive;
  think?: Think;
  /** Deprecated in Ollama; passed through. */
  context?: number[];
}

export interface EmbedRequest {
  model?: string;
  input: string | string[];
  truncate?: boolean;
  dimensions?: number;
  keepAlive?: KeepAlive;
  options?: ModelOptions;
}

/** Ollama's metrics, durations in nanoseconds. Present on final results only. */
export interface GenerationMetrics {
  totalDuration?: number;
  loadDuration?: number;
  promptEvalCount?: number;
  promptEvalDuration?: number;
  evalCount?: number;
  evalDuration?: number;
}

export interface AssistantMessage {
  role: 'assistant';
  content: string;
  thinking?: string;
  toolCalls?: ToolCall[];
}

/** Where and how an answer was produced; filled by the service layer, not providers. */
export interface ServedBy {
  /** Upstream id that produced the answer (e.g. `ollama:http://127.0.0.1:11434`, `embedded`). */
  upstream?: string;
  /** True when the answer came from the response cache. */
  cached?: boolean;
  /** Time to first token in ms (streams, and aggregated non-stream calls). */
  ttftMs?: number;
}

export interface ChatDelta {
  done: false;
  model: string;
  createdAt: string;
  message: AssistantMessage;
}

export interface ChatResult extends ServedBy {
  done: true;
  model: string;
  createdAt: string;
  message: AssistantMessage;
  /** `stop`, `length`, `load`, `unload`, … as Ollama says. */
  doneReason?: string;
  metrics: GenerationMetrics;
}

/** A chat stream yields deltas and ends with exactly one ChatResult (done: true). */
export type ChatStreamEvent = ChatDelta | ChatResult;

export interface GenerateDelta {
  done: false;
  model: string;
  createdAt: string;
  response: string;
  thinking?: string;
}

export interface GenerateResult extends ServedBy {
  done: true;
  model: string;
  createdAt: string;
  response: string;
  thinking?: string;
  doneReason?: string;
  context?: number[];
  metrics: GenerationMetrics;
}

export type GenerateStreamEvent = GenerateDelta | GenerateResult;

export interface EmbedResult extends ServedBy {
  model: string;
  embeddings: number[][];
  metrics: Pick<GenerationMetrics, 'totalDuration' | 'loadDuration' | 'promptEvalCount'>;
}

export interface ModelDetails {
  parentModel?: string;
  format?: string;
  family?: string;
  families?: string[];
  parameterSize?: string;
  quantizationLevel?: string;
}

export interface ModelInfo {
  name: string;
  model: string;
  modifiedAt?: string;
  size?: number;
  digest?: string;
  details: ModelDetails;
}

export interface RunningModel extends ModelInfo {
  expiresAt?: string;
  sizeVram?: number;
  contextLength?: number;
}

export interface ModelShow {
  license?: string;
  modelfile?: string;
  parameters?: string;
  template?: string;
  details: ModelDetails;
  modelInfo?: Record<string, unknown>;
  capabilities?: string[];
  modifiedAt?: string;
}

export interface PullProgress {
  status: string;
  digest?: string;
  total?: number;
  completed?: number;
  /** 0–100, when total and completed are known. */
  percent?: number;
}
