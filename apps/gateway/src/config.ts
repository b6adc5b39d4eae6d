import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RequestCaps } from '@intellicore/llm-core';
import { z } from 'zod';

/**
 * Environment → typed config, in one place. Every variable is listed (with comments) in the
 * repository's `.env.example`. A bad value throws ConfigError naming the variable; `main.ts`
 * prints it and exits non-zero.
 */

export const DEMO_MODEL = 'random-weights-demo';

export const DEFAULT_ALLOWED_MODELS = [
  'llama3.2',
  'llama3.2:1b',
  'llama3.2:3b',
  'mistral',
  'codellama',
  'nomic-embed-text',
  DEMO_MODEL,
];

/** Values of MODELS_DIR (and PLAYGROUND_DIR) that turn the feature off (scripts/start.mjs too). */
export const OFF_VALUES = ['off', 'none', 'false'];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
  }
}

const list = (raw: string | undefined): string[] =>
  (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be ≥ ${min}`)
    .max(max, `must be ≤ ${max}`);

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', ''].includes(v), {
    message: 'must be true or false',
  })
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const envSchema = z.object({
  PORT: int(0, 65535).default(8001),
  HOST: z.string().trim().min(1).optional(),
  OLLAMA_URL: z.string().default(''),
  OLLAMA_DEFAULT_MODEL: z.string().trim().min(1).optional(),
  OLLAMA_EMBEDDING_MODEL: z.string().trim().min(1).optional(),
  OLLAMA_TIMEOUT: int(1).default(120),
  MODELS_DIR: z.string().trim().optional(),
  ALLOWED_MODELS: z.string().optional(),
  MODEL_ALIASES: z.string().default(''),
  MODEL_FALLBACKS: z.string().default(''),
  DATABASE_URL: z.string().trim().min(1).default('./data/gateway.db'),
  VALKEY_URL: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || /^(redis|rediss|valkey|valkeys):\/\//.test(v), {
      message: 'must be a redis:// or valkey:// URL',
    }),
  VALKEY_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9:_.-]*$/, 'may only hold letters, digits and : _ . -')
    .default('llmgw:'),
  DATABASE_SCHEMA: z
    .string()
    .trim()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .optional(),
  CORS_ORIGINS: z.string().default(''),
  API_KEYS: z.string().default(''),
  ADMIN_API_KEYS: z.string().default(''),
  METRICS_API_KEY: z.string().trim().min(1).optional(),
  // Unset: core's defaults (DEFAULT_REQUEST_CAPS: 131072, 16384, 30m).
  USER_MAX_NUM_CTX: int(0).optional(),
  USER_MAX_NUM_PREDICT: int(0).optional(),
  USER_MAX_KEEP_ALIVE: z.string().trim().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PROMPTS: bool.default(false),
  REQUEST_LOG_SIZE: int(1).default(1000),
  REQUEST_LOG_RETENTION: z
    .string()
    .trim()
    .regex(/^\d+(s|m|h|d)$/, 'must be a duration such as 7d, 12h, 30m')
    .optional(),
  SHUTDOWN_TIMEOUT_MS: int(0).default(10_000),
  UPSTREAM_MAX_CONCURRENCY: int(1).default(8),
  UPSTREAM_QUEUE_SIZE: int(0).default(256),
  UPSTREAM_QUEUE_TIMEOUT_MS: int(1).default(30_000),
  MAX_BODY_BYTES: int(1024).default(8 * 1024 * 1024),
  SSE_PING_MS: int(100).default(10_000),
  PLAYGROUND_DIR: z.string().trim().optional(),
  RATE_LIMIT_RPM: int(0).default(0),
  RATE_LIMIT_TPM: int(0).default(0),
  RATE_LIMIT_OVERRIDES: z.string().default(''),
  CACHE_TTL_SECONDS: int(0).default(0),
  CACHE_MAX_BYTES: int(0).default(64 * 1024 * 1024),
  CACHE_SHARED_ACROSS_KEYS: bool.default(false),
});

/** Every environment variable the gateway reads (`.env.example` documents each). */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape) as ReadonlyArray<string>;

export interface RateLimitOverride {
  keyId: string;
  rpm: number;
  tpm: number;
}

/** One Ollama upstream: where it runs, and the name answers, usage and metrics show. */
export interface OllamaUpstreamConfig {
  name: string;
  url: string;
}

export interface GatewayConfig {
  port: number;
  /** HOST, else 0.0.0.0 with API keys configured and 127.0.0.1 without (open mode is local). */
  host: string;
  /** Ollama base URLs; empty means the embedded engine is the only upstream. */
  ollamaUrls: string[];
  /** The same upstreams with their names (`gpu1=http://…`, else `ollama-<n>` by position). */
  ollamaUpstreams: OllamaUpstreamConfig[];
  defaultChatModel: string;
  defaultEmbeddingModel: string;
  upstreamTimeoutMs: number;
  /**
   * Directory of GGUF files for the embedded engine; null when it is off: `MODELS_DIR=off`, or
   * OLLAMA_URL set and MODELS_DIR not (Ollama alone). Without either: `./models`.
   */
  modelsDir: string | null;
  /** null means every model is allowed (`ALLOWED_MODELS=*`). */
  allowedModels: string[] | null;
  modelAliases: Record<string, string>;
  /** MODEL_FALLBACKS: model → the models that answer, in order, when its upstreams cannot. */
  modelFallbacks: Record<string, string[]>;
  databaseUrl: string;
  valkeyUrl: string | null;
  /** Prefix of every Valkey key (replicas of one deployment share it). */
  valkeyPrefix: string;
  /** PostgreSQL schema for templates and usage; null = the default (`public`). */
  databaseSchema: string | null;
  /** `['*']` allows any origin; empty allows none. */
  corsOrigins: string[];
  apiKeys: string[];
  adminApiKeys: string[];
  /** Bearer key that may read /metrics (admin keys may too); null leaves /metrics open. */
  metricsApiKey: string | null;
  /** What one request of a non-admin key may cost (USER_MAX_*); unset ones keep core's defaults. */
  caps: Partial<RequestCaps>;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  logPrompts: boolean;
  /** The request log: entries kept in memory per replica; retention in the store (ms), or null
   * for memory only. */
  requestLog: { size: number; retentionMs: number | null };
  shutdownTimeoutMs: number;
  upstream: { maxConcurrency: number; queueSize: number; queueTimeoutMs: number };
  maxBodyBytes: number;
  ssePingMs: number;
  /** Built playground served at `/` (index.html inside); null when absent or `off`. */
  playgroundDir: string | null;
  rateLimit: { rpm: number; tpm: number; overrides: RateLimitOverride[] };
  cache: { ttlSeconds: number; maxBytes: number; sharedAcrossKeys: boolean };
}

/** Reads the config from an env record (default `process.env`); throws ConfigError. */
export function loadConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  // Empty strings mean "unset" so `FOO=` in an env file falls back to the default.
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') cleaned[key] = value;
  }
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = parsed.data;

  const ollamaUpstreams = parseUpstreams(e.OLLAMA_URL);
  const ollamaUrls = ollamaUpstreams.map((u) => u.url);
  const apiKeys = list(e.API_KEYS);
  const adminApiKeys = list(e.ADMIN_API_KEYS);
  // Embedded-only (no Ollama): default to the demo model so a fresh start answers at once.
  const embeddedOnly = ollamaUrls.length === 0;
  const allowed = e.ALLOWED_MODELS === undefined ? DEFAULT_ALLOWED_MODELS : list(e.ALLOWED_MODELS);

  return {
    port: e.PORT,
    host: e.HOST ?? (apiKeys.length + adminApiKeys.length > 0 ? '0.0.0.0' : '127.0.0.1'),
    ollamaUrls,
    ollamaUpstreams,
    defaultChatModel: e.OLLAMA_DEFAULT_MODEL ?? (embeddedOnly ? DEMO_MODEL : 'llama3.2'),
    defaultEmbeddingModel:
      e.OLLAMA_EMBEDDING_MODEL ?? (embeddedOnly ? DEMO_MODEL : 'nomic-embed-text'),
    upstreamTimeoutMs: e.OLLAMA_TIMEOUT * 1000,
    modelsDir: modelsDirOf(e.MODELS_DIR, embeddedOnly),
    allowedModels: allowed.includes('*') ? null : allowed,
    modelAliases: parseAliases(e.MODEL_ALIASES),
    modelFallbacks: parseFallbacks(e.MODEL_FALLBACKS),
    databaseUrl: e.DATABASE_URL,
    valkeyUrl: e.VALKEY_URL || null,
    valkeyPrefix: e.VALKEY_PREFIX,
    databaseSchema: e.DATABASE_SCHEMA ?? null,
    corsOrigins: parseOrigins(e.CORS_ORIGINS),
    apiKeys,
    adminApiKeys,
    metricsApiKey: e.METRICS_API_KEY ?? null,
    caps: {
      ...(e.USER_MAX_NUM_CTX === undefined ? {} : { maxNumCtx: e.USER_MAX_NUM_CTX }),
      ...(e.USER_MAX_NUM_PREDICT === undefined ? {} : { maxNumPredict: e.USER_MAX_NUM_PREDICT }),
      ...(e.USER_MAX_KEEP_ALIVE === undefined
        ? {}
        : { maxKeepAliveMs: parseKeepAliveCap(e.USER_MAX_KEEP_ALIVE) }),
    },
    logLevel: e.LOG_LEVEL,
    logPrompts: e.LOG_PROMPTS,
    requestLog: {
      size: e.REQUEST_LOG_SIZE,
      retentionMs: e.REQUEST_LOG_RETENTION ? durationMs(e.REQUEST_LOG_RETENTION) : null,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    upstream: {
      maxConcurrency: e.UPSTREAM_MAX_CONCURRENCY,
      queueSize: e.UPSTREAM_QUEUE_SIZE,
      queueTimeoutMs: e.UPSTREAM_QUEUE_TIMEOUT_MS,
    },
    maxBodyBytes: e.MAX_BODY_BYTES,
    ssePingMs: e.SSE_PING_MS,
    playgroundDir: playgroundDirOf(e.PLAYGROUND_DIR),
    rateLimit: {
      rpm: e.RATE_LIMIT_RPM,
      tpm: e.RATE_LIMIT_TPM,
      overrides: parseOverrides(e.RATE_LIMIT_OVERRIDES),
    },
    cache: {
      ttlSeconds: e.CACHE_TTL_SECONDS,
      maxBytes: e.CACHE_MAX_BYTES,
      sharedAcrossKeys: e.CACHE_SHARED_ACROSS_KEYS,
    },
  };
}

const UPSTREAM_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/** `OLLAMA_URL`: `url` or `name=url` entries; unnamed ones are `ollama-<position>`. */
function parseUpstreams(raw: string): OllamaUpstreamConfig[] {
  const names = new Set<string>(['embedded']);
  const urls = new Set<string>();
  return list(raw).map((entry, index) => {
    const named = /^([^=:/\s]+)=(.*)$/.exec(entry);
    const name = named ? named[1]!.trim() : `ollama-${index + 1}`;
    const url = (named ? named[2]! : entry).trim().replace(/\/+$/, '');
    if (!UPSTREAM_NAME.test(name)) {
      throw new ConfigError('OLLAMA_URL', `has the name "${name}"; use letters, digits, _ . -`);
    }
    if (!httpUrl.safeParse(url).success) {
      throw new ConfigError('OLLAMA_URL', `has "${url}", which is not an http(s) URL`);
    }
    if (names.has(name)) throw new ConfigError('OLLAMA_URL', `names "${name}" twice`);
    if (urls.has(url)) throw new ConfigError('OLLAMA_URL', `lists ${url} twice`);
    names.add(name);
    urls.add(url);
    return { name, url };
  });
}

const DURATION_UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** USER_MAX_KEEP_ALIVE: seconds (`1800`) or a duration (`30m`, `1h30m`); positive, in ms. */
function parseKeepAliveCap(raw: string): number {
  let ms = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) * 1000 : Number.NaN;
  if (Number.isNaN(ms) && /^(\d+(\.\d+)?(ms|s|m|h))+$/.test(raw)) {
    ms = 0;
    for (const [, n, unit] of raw.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
      ms += Number(n) * (DURATION_UNIT_MS[unit!] ?? 0);
    }
  }
  if (!(ms > 0) || !Number.isFinite(ms)) {
    throw new ConfigError('USER_MAX_KEEP_ALIVE', `has "${raw}"; expected seconds or e.g. 30m`);
  }
  return ms;
}

function parseAliases(raw: string): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const pair of list(raw)) {
    const [alias, model, ...rest] = pair.split('=').map((s) => s.trim());
    if (!alias || !model || rest.length > 0) {
      throw new ConfigError('MODEL_ALIASES', `has "${pair}"; expected alias=model`);
    }
    aliases[alias] = model;
  }
  return aliases;
}

/** MODEL_FALLBACKS: `model=fallback|fallback2,…` (a model listed once, never its own fallback). */
function parseFallbacks(raw: string): Record<string, string[]> {
  const fallbacks: Record<string, string[]> = {};
  for (const entry of list(raw)) {
    const [model, chain, ...rest] = entry.split('=').map((s) => s.trim());
    const next = (chain ?? '').split('|').map((s) => s.trim());
    if (!model || rest.length > 0 || next.some((m) => !m)) {
      throw new ConfigError('MODEL_FALLBACKS', `has "${entry}"; expected model=fallback|fallback2`);
    }
    if (model in fallbacks) throw new ConfigError('MODEL_FALLBACKS', `lists "${model}" twice`);
    if (next.includes(model) || new Set(next).size !== next.length) {
      throw new ConfigError('MODEL_FALLBACKS', `has "${entry}"; a model repeats in its own list`);
    }
    fallbacks[model] = next;
  }
  return fallbacks;
}

function parseOrigins(raw: string): string[] {
  return list(raw).map((origin) => {
    if (origin === '*') return origin;
    if (!httpUrl.safeParse(origin).success) {
      throw new ConfigError('CORS_ORIGINS', `has "${origin}"; expected * or http(s)://host[:port]`);
    }
    return new URL(origin).origin;
  });
}

function parseOverrides(raw: string): RateLimitOverride[] {
  return list(raw).map((entry) => {
    const [keyId, rpm, tpm, ...rest] = entry.split(':').map((s) => s.trim());
    const r = Number(rpm);
    const t = Number(tpm);
    if (
      !keyId ||
      rest.length > 0 ||
      !Number.isInteger(r) ||
      !Number.isInteger(t) ||
      r < 0 ||
      t < 0
    ) {
      throw new ConfigError('RATE_LIMIT_OVERRIDES', `has "${entry}"; expected keyId:rpm:tpm`);
    }
    return { keyId, rpm: r, tpm: t };
  });
}

/**
 * The embedded engine's directory: MODELS_DIR when set (null for `off`); unset, `./models` when
 * no Ollama is configured (the embedded engine is the only upstream) and off next to Ollama, so
 * that an idle engine never answers for an Ollama that is down.
 */
function modelsDirOf(configured: string | undefined, embeddedOnly: boolean): string | null {
  if (configured) return OFF_VALUES.includes(configured.toLowerCase()) ? null : configured;
  return embeddedOnly ? './models' : null;
}

/**
 * PLAYGROUND_DIR, or else the playground built next to this package (apps/playground/dist, the
 * same relative path from src/ and from the bundled dist/) when it exists; `off` disables it.
 */
function playgroundDirOf(configured: string | undefined): string | null {
  if (configured) return OFF_VALUES.includes(configured.toLowerCase()) ? null : configured;
  const built = fileURLToPath(new URL('../../playground/dist', import.meta.url));
  return existsSync(`${built}/index.html`) ? built : null;
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `7d`, `12h`, `30m`, `45s` → ms (the schema checked the form). */
function durationMs(value: string): number {
  const unit = value.at(-1) as keyof typeof UNIT_MS;
  return Number.parseInt(value, 10) * UNIT_MS[unit];
}
