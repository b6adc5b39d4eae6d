import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_VARIABLES,
  ConfigError,
  DEFAULT_ALLOWED_MODELS,
  loadConfig,
} from '../src/config.js';

describe('loadConfig', () => {
  it('defaults: embedded-only uses the demo model, Ollama uses llama3.2', () => {
    const embedded = loadConfig({});
    expect(embedded).toMatchObject({
      port: 8001,
      // No API keys: open mode stays on this machine unless HOST says otherwise.
      host: '127.0.0.1',
      ollamaUrls: [],
      defaultChatModel: 'random-weights-demo',
      defaultEmbeddingModel: 'random-weights-demo',
      modelsDir: './models',
      databaseUrl: './data/gateway.db',
      valkeyUrl: null,
      logPrompts: false,
      maxBodyBytes: 8 * 1024 * 1024,
      upstreamTimeoutMs: 120_000,
    });
    expect(embedded.allowedModels).toEqual(DEFAULT_ALLOWED_MODELS);
    const ollama = loadConfig({ OLLAMA_URL: 'http://a:11434/, http://b:11434' });
    expect(ollama.ollamaUrls).toEqual(['http://a:11434', 'http://b:11434']);
    expect(ollama.defaultChatModel).toBe('llama3.2');
    expect(ollama.defaultEmbeddingModel).toBe('nomic-embed-text');
    expect(embedded.caps).toEqual({}); // core's DEFAULT_REQUEST_CAPS apply
    expect(embedded.metricsApiKey).toBeNull();
  });

  it('binds 127.0.0.1 in open mode, 0.0.0.0 with keys, and HOST always wins', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ API_KEYS: 'k' }).host).toBe('0.0.0.0');
    expect(loadConfig({ ADMIN_API_KEYS: 'a' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '::1', API_KEYS: 'k' }).host).toBe('::1');
  });

  it('names upstreams: name=url entries, else ollama-<position>', () => {
    const c = loadConfig({ OLLAMA_URL: 'gpu1=http://10.0.0.5:11434/, http://10.0.0.6:11434' });
    expect(c.ollamaUpstreams).toEqual([
      { name: 'gpu1', url: 'http://10.0.0.5:11434' },
      { name: 'ollama-2', url: 'http://10.0.0.6:11434' },
    ]);
    expect(c.ollamaUrls).toEqual(['http://10.0.0.5:11434', 'http://10.0.0.6:11434']);
    // A URL with `=` in its query is not a name.
    expect(loadConfig({ OLLAMA_URL: 'http://h:1/?a=b' }).ollamaUpstreams[0]?.name).toBe('ollama-1');
  });

  it('reads the caps of non-admin keys and the metrics key', () => {
    const c = loadConfig({
      USER_MAX_NUM_CTX: '8192',
      USER_MAX_NUM_PREDICT: '0',
      USER_MAX_KEEP_ALIVE: '1h30m',
      METRICS_API_KEY: 'scrape-me',
    });
    expect(c.caps).toEqual({ maxNumCtx: 8192, maxNumPredict: 0, maxKeepAliveMs: 5_400_000 });
    expect(c.metricsApiKey).toBe('scrape-me');
    expect(loadConfig({ USER_MAX_KEEP_ALIVE: '600' }).caps.maxKeepAliveMs).toBe(600_000);
  });

  it('MODELS_DIR: the embedded engine runs without Ollama, or next to it only when asked', () => {
    const dir = (env: Record<string, string>) => loadConfig(env).modelsDir;
    expect(dir({})).toBe('./models');
    expect(dir({ MODELS_DIR: '/srv/gguf' })).toBe('/srv/gguf');
    expect(dir({ OLLAMA_URL: 'http://a:11434' })).toBeNull();
    expect(dir({ OLLAMA_URL: 'http://a:11434', MODELS_DIR: '' })).toBeNull();
    expect(dir({ OLLAMA_URL: 'http://a:11434', MODELS_DIR: '/srv/gguf' })).toBe('/srv/gguf');
    for (const off of ['off', 'OFF', 'none', 'false']) {
      expect(dir({ MODELS_DIR: off })).toBeNull();
      expect(dir({ OLLAMA_URL: 'http://a:11434', MODELS_DIR: off })).toBeNull();
    }
  });

  it('parses lists, aliases, overrides and flags', () => {
    const c = loadConfig({
      ALLOWED_MODELS: '*',
      MODEL_ALIASES: 'fast=llama3.2:1b, smart = mistral',
      MODEL_FALLBACKS: 'llama3.2=mistral|llama3.2:1b, nomic-embed-text = all-minilm',
      CORS_ORIGINS: 'https://a.example.com/, *',
      RATE_LIMIT_OVERRIDES: 'key_abc:10:1000',
      LOG_PROMPTS: 'true',
      CACHE_SHARED_ACROSS_KEYS: 'yes',
      MODELS_DIR: 'off',
      API_KEYS: 'k1,k2',
      PORT: '',
    });
    expect(c.allowedModels).toBeNull();
    expect(c.modelAliases).toEqual({ fast: 'llama3.2:1b', smart: 'mistral' });
    expect(c.modelFallbacks).toEqual({
      'llama3.2': ['mistral', 'llama3.2:1b'],
      'nomic-embed-text': ['all-minilm'],
    });
    expect(c.corsOrigins).toEqual(['https://a.example.com', '*']);
    expect(c.rateLimit.overrides).toEqual([{ keyId: 'key_abc', rpm: 10, tpm: 1000 }]);
    expect(c.logPrompts).toBe(true);
    expect(c.cache.sharedAcrossKeys).toBe(true);
    expect(c.modelsDir).toBeNull();
    expect(c.apiKeys).toEqual(['k1', 'k2']);
    expect(c.port).toBe(8001);
  });

  it.each([
    ['PORT', { PORT: '70000' }],
    ['OLLAMA_TIMEOUT', { OLLAMA_TIMEOUT: '0' }],
    ['MODEL_ALIASES', { MODEL_ALIASES: 'broken' }],
    ['MODEL_FALLBACKS', { MODEL_FALLBACKS: 'llama3.2' }],
    ['MODEL_FALLBACKS', { MODEL_FALLBACKS: 'llama3.2=mistral||x' }],
    ['MODEL_FALLBACKS', { MODEL_FALLBACKS: 'llama3.2=llama3.2' }],
    ['MODEL_FALLBACKS', { MODEL_FALLBACKS: 'a=b,a=c' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'not a url' }],
    ['RATE_LIMIT_OVERRIDES', { RATE_LIMIT_OVERRIDES: 'key:1' }],
    ['LOG_PROMPTS', { LOG_PROMPTS: 'maybe' }],
    ['VALKEY_URL', { VALKEY_URL: 'http://x' }],
    ['MAX_BODY_BYTES', { MAX_BODY_BYTES: '12' }],
    ['OLLAMA_URL', { OLLAMA_URL: 'gpu one=http://a:1' }],
    ['OLLAMA_URL', { OLLAMA_URL: 'a=http://a:1,a=http://b:1' }],
    ['OLLAMA_URL', { OLLAMA_URL: 'embedded=http://a:1' }],
    ['OLLAMA_URL', { OLLAMA_URL: 'http://a:1,http://a:1/' }],
    ['USER_MAX_NUM_CTX', { USER_MAX_NUM_CTX: '-1' }],
    ['USER_MAX_KEEP_ALIVE', { USER_MAX_KEEP_ALIVE: '-1' }],
    ['USER_MAX_KEEP_ALIVE', { USER_MAX_KEEP_ALIVE: 'forever' }],
    ['USER_MAX_KEEP_ALIVE', { USER_MAX_KEEP_ALIVE: '0' }],
  ])('a bad %s throws ConfigError naming it', (name, env) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(name);
    expect((error as ConfigError).message).toContain(name);
  });
});

it('.env.example documents every variable the gateway reads', () => {
  const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
  const listed = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
  expect(CONFIG_VARIABLES.filter((v) => !listed.has(v))).toEqual([]);
});
