/** Public shapes of the fake Ollama server. Other suites code against these names. */

export interface FakeModel {
  /** Full name with tag, e.g. `llama3.2:latest`. A name without a tag is read as `:latest`. */
  name: string;
  digest?: string;
  size?: number;
  family?: string;
  parameterSize?: string;
  quantizationLevel?: string;
  /** Length of the vectors /api/embed returns for this model (default 16). */
  embeddingDims?: number;
  /** As /api/show reports them (default: completion, tools for chat models; embedding otherwise). */
  capabilities?: string[];
  /** Context length reported by /api/ps and /api/show (default 4096). */
  contextLength?: number;
}

export interface FakeOllamaOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default DEFAULT_FAKE_MODELS. */
  models?: FakeModel[];
  /** What /api/version reports. */
  version?: string;
  /** Delay between stream chunks when no fault says otherwise (default 0). */
  chunkDelayMs?: number;
  /** false disables the request journal (benchmarks). Default true. */
  journal?: boolean;
  /** How many entries the journal keeps (ring buffer, default 10,000). */
  journalLimit?: number;
  /**
   * Ollama's Host-header check: 403 with an empty body when the Host header is not a loopback,
   * private or local name (default true, as Ollama does when bound to loopback).
   */
  hostCheck?: boolean;
  /**
   * Like OLLAMA_MAX_QUEUE: when this many inference requests (chat, generate, embed, /v1) are
   * already in flight, the next one gets 503 queue-full. Default: no limit.
   */
  maxQueue?: number;
}

/** Counters for benchmarks and concurrency tests (control calls are not counted). */
export interface FakeOllamaStats {
  /** Requests received. */
  requests: number;
  /** Requests in flight now. */
  inFlight: number;
  /** The most requests in flight at once since start (or the last resetStats). */
  maxInFlight: number;
}

/**
 * A fault applies to requests that match `path` and `model` (both optional). All active matching
 * faults apply; when two set the same knob, the one set later wins. Control routes never match.
 */
export interface Fault {
  /** Exact path, e.g. '/api/chat'. Default: any path. */
  path?: string;
  /** Model name (`llama3.2` and `llama3.2:latest` are the same). Default: any model. */
  model?: string;
  /**
   * Only requests whose input contains this text (a chat message's content, a prompt, an embed
   * input): faults a request's own content can cause, such as Ollama failing on one prompt.
   */
  inputContains?: string;
  /** Apply to the next N matching requests, then retire. Default: unlimited. */
  times?: number;
  /** Wait this long before writing the status line and headers. */
  delayBeforeHeadersMs?: number;
  /** Wait this long before each stream chunk (overrides the server's chunkDelayMs). */
  chunkDelayMs?: number;
  /** Answer with this status before any header, body `failBody` (default `{"error":"fake failure"}`). */
  failStatus?: number;
  /** A string is sent as is (text/plain); an object as JSON. */
  failBody?: string | object;
  /** After N chunks (status already 200), one `{"error": errorMessage}` line ends the stream. */
  errorAfterChunks?: number;
  errorMessage?: string;
  /** After N chunks the socket is destroyed: the chunked body never terminates. */
  dropAfterChunks?: number;
  /** After N chunks the response ends cleanly, without the `done` line. */
  endAfterChunks?: number;
  /** Never write anything; ends only when the client goes away or the server closes. */
  neverAnswer?: boolean;
  /** Reset the connection (TCP RST) before any byte of the answer: an upstream that crashed. */
  resetConnection?: boolean;
  /** 503 `server busy, please try again.  maximum pending requests exceeded`. */
  queueFull?: boolean;
  /** After N chunks one line that is not JSON is written; the stream then goes on. */
  malformedLineAfterChunks?: number;
  /** The first use of a model that is not loaded waits this long (reported in load_duration). */
  loadDelayMs?: number;
}

export interface FaultController {
  /** Adds a fault; returns its id. */
  set(fault: Fault): number;
  /** Removes one fault by id, or all faults. */
  clear(id?: number): void;
  /** Active faults with their ids and how many uses remain. */
  list(): Array<Fault & { id: number; remaining?: number }>;
}

export interface JournalEntry {
  id: number;
  method: string;
  path: string;
  /** Parsed JSON body (undefined when there was none or it was not JSON). */
  body: unknown;
  model?: string;
  headers: Record<string, string | string[] | undefined>;
  /** Date.now() when the request arrived. */
  startedAt: number;
  /** Date.now() when the server finished writing the response. */
  finishedAt?: number;
  /** The client closed the connection before the server finished. */
  clientClosed: boolean;
  /** Date.now() when the connection closed before the response finished. */
  closedAt?: number;
  status?: number;
}

export interface RequestJournal {
  entries(): JournalEntry[];
  clear(): void;
  /** Resolves with the first entry (existing or future, in its latest state) matching `pred`. */
  waitFor(pred: (e: JournalEntry) => boolean, timeoutMs?: number): Promise<JournalEntry>;
}

export interface FakeOllama {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  faults: FaultController;
  journal: RequestJournal;
  /** Replaces the model list (/api/tags); loaded models no longer in the list are unloaded. */
  setModels(models: FakeModel[]): void;
  /** What /api/ps reports as loaded. A model also becomes loaded when used. */
  setLoaded(names: string[]): void;
  /** A snapshot of the request counters. */
  stats(): FakeOllamaStats;
  /** Zeroes `requests` and sets `maxInFlight` to the current `inFlight`. */
  resetStats(): void;
  /** Closes the server, every socket and every pending timer. */
  close(): Promise<void>;
}
