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
      host: '0.0.0.0',
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
    ['CORS_ORIGINS', { CORS_ORIGINS: 'not a url' }],
    ['RATE_LIMIT_OVERRIDES', { RATE_LIMIT_OVERRIDES: 'key:1' }],
    ['LOG_PROMPTS', { LOG_PROMPTS: 'maybe' }],
    ['VALKEY_URL', { VALKEY_URL: 'http://x' }],
    ['MAX_BODY_BYTES', { MAX_BODY_BYTES: '12' }],
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
