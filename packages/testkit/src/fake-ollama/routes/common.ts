import type { Exchange, Flavor } from '../exchange.js';
import type { Faults } from '../faults.js';
import type { Journal } from '../journal.js';
import type { ModelRegistry, ResolvedModel } from '../models.js';
import type { FakeOllamaStats } from '../types.js';

/** Everything a route may read or change. */
export interface FakeState {
  registry: ModelRegistry;
  faults: Faults;
  journal: Journal;
  version: string;
  chunkDelayMs: number;
  hostCheck: boolean;
  /** Inference requests allowed in flight at once (undefined: no limit). */
  maxQueue: number | undefined;
  stats: FakeOllamaStats;
  /** Inference requests in flight now (for maxQueue). */
  inferenceInFlight: number;
}

export type Body = Record<string, unknown>;

export interface Route {
  flavor: Flavor;
  /** The route reads a JSON body (400 when it is missing or not JSON). */
  body: boolean;
  /** The route runs the model (chat, generate, embed): it counts against `maxQueue`. */
  inference?: boolean;
  handle(ex: Exchange, body: Body, state: FakeState): Promise<void> | void;
}

/** The model named by `model` (or legacy `name`), answering 400/404 itself when there is none. */
export function requireModel(
  ex: Exchange,
  body: Body,
  state: FakeState,
): { name: string; model: ResolvedModel } | undefined {
  const raw = body.model ?? body.name;
  if (typeof raw !== 'string' || raw === '') {
    ex.error(400, 'model is required');
    return undefined;
  }
  const model = state.registry.get(raw);
  if (!model) {
    ex.error(404, `model '${raw}' not found`);
    return undefined;
  }
  return { name: raw, model };
}

/**
 * Marks the model loaded; a cold model first waits the `loadDelayMs` fault (measured into
 * `ex.loadNs`, reported as load_duration). False when the client left meanwhile.
 */
export async function loadModel(
  ex: Exchange,
  state: FakeState,
  model: ResolvedModel,
  keepAlive: unknown,
): Promise<boolean> {
  const wait = ex.fault?.loadDelayMs;
  if (wait && !state.registry.isLoaded(model.name)) {
    const t0 = process.hrtime.bigint();
    if (!(await ex.sleep(wait))) return false;
    ex.loadNs = Number(process.hrtime.bigint() - t0);
  }
  state.registry.markLoaded(model.name, keepAlive);
  return true;
}

export interface Metrics {
  total_duration: number;
  load_duration: number;
  prompt_eval_count: number;
  prompt_eval_duration: number;
  eval_count: number;
  eval_duration: number;
}

/**
 * Durations in ns: the measured wall time of the exchange plus a nominal cost per token
 * (0.1 ms a prompt token, 0.05 ms a generated one) so they look like a fast GPU's numbers and
 * total_duration ≥ load + prompt_eval + eval always holds.
 */
export function metrics(
  ex: Exchange,
  promptTokens: number,
  evalCount: number,
  streamStartNs: bigint,
): Metrics {
  const now = process.hrtime.bigint();
  const load = ex.loadNs + 250_000;
  const promptEval = Math.max(1, promptTokens) * 100_000;
  const evalNominal = evalCount * 50_000;
  return {
    total_duration: Number(now - ex.startNs) + 250_000 + promptEval + evalNominal,
    load_duration: load,
    prompt_eval_count: promptTokens,
    prompt_eval_duration: promptEval,
    eval_count: evalCount,
    eval_duration: Number(now - streamStartNs) + evalNominal,
  };
}

/**
 * A one-object answer (tags, show, embed …). The after-N-chunks faults do not apply here: they
 * are for generations, so a fault without `path` does not break a gateway's health polling.
 */
export function reply(ex: Exchange, body: unknown): void {
  ex.json(200, body);
}

const INTEGER_OPTIONS = new Set([
  'num_ctx',
  'num_predict',
  'seed',
  'top_k',
  'repeat_last_n',
  'num_batch',
  'num_gpu',
  'num_thread',
  'num_keep',
]);
const FLOAT_OPTIONS = new Set([
  'temperature',
  'top_p',
  'min_p',
  'typical_p',
  'repeat_penalty',
  'presence_penalty',
  'frequency_penalty',
]);

/**
 * Ollama ignores unknown option keys but rejects a known key of the wrong type (500, from the
 * scheduler). Returns the error message, or undefined when the options are fine.
 */
export function optionsError(options: unknown): string | undefined {
  if (options === undefined || options === null || typeof options !== 'object') return undefined;
  for (const [key, value] of Object.entries(options)) {
    if (INTEGER_OPTIONS.has(key) && !Number.isInteger(value)) {
      return `option "${key}" must be of type integer`;
    }
    if (FLOAT_OPTIONS.has(key) && typeof value !== 'number')
      return `option "${key}" must be of type float32`;
    if (key === 'stop' && !(Array.isArray(value) && value.every((s) => typeof s === 'string'))) {
      return `option "${key}" must be of type array of strings`;
    }
  }
  return undefined;
}

/** `options.num_predict` when it limits the reply (positive), else undefined. */
export function numPredict(options: unknown): number | undefined {
  const n = (options as { num_predict?: unknown } | undefined)?.num_predict;
  return typeof n === 'number' && n > 0 ? n : undefined;
}
