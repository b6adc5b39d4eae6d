import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { validate as lintDockerfile, ValidationSeverity } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../src/config.js';

/**
 * docker-compose.yml and the Dockerfile cannot be run here (no Docker engine), so this reads
 * them: the compose file against the Compose specification's JSON Schema, the Dockerfile
 * through a Dockerfile linter, the services, health checks and start order, the published port,
 * and every environment variable the gateway container gets must be one the gateway's config
 * actually reads. deploy-bundle.integration.test.ts replays the Dockerfile's steps and starts it.
 */
const repoFile = (name: string) => fileURLToPath(new URL(`../../../${name}`, import.meta.url));

interface ComposeService {
  image?: string;
  build?: unknown;
  ports?: string[];
  environment?: Record<string, string> | string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string; interval?: string; retries?: number };
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const compose = parse(readFileSync(repoFile('docker-compose.yml'), 'utf8')) as ComposeFile;
const dockerfile = readFileSync(repoFile('Dockerfile'), 'utf8');

/** The env names loadConfig reads: recorded by handing it an env that logs every lookup. */
function configEnvNames(): Set<string> {
  const read = new Set<string>();
  const env = new Proxy({} as Record<string, string | undefined>, {
    get: (_target, key) => {
      if (typeof key === 'string') read.add(key);
      return undefined;
    },
  });
  loadConfig(env);
  return read;
}

function envNames(service: ComposeService): string[] {
  const env = service.environment ?? {};
  return Array.isArray(env) ? env.map((entry) => entry.split('=')[0] as string) : Object.keys(env);
}

describe('docker-compose.yml', () => {
  const { services } = compose;

  it('is valid against the Compose specification schema', () => {
    const schema = JSON.parse(
      readFileSync(new URL('./fixtures/compose-spec/compose-spec.json', import.meta.url), 'utf8'),
    );
    const check = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
    const problems = (doc: unknown) =>
      check(doc) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    expect(problems(compose)).toEqual([]);
    // The schema does catch mistakes: a misspelt key, a wrong type.
    const broken = structuredClone(compose) as unknown as {
      services: Record<string, Record<string, unknown>>;
    };
    broken.services.gateway!.restart = 42;
    broken.services.gateway!.imagee = 'typo';
    expect(problems(broken)).toEqual([
      '/services/gateway must NOT have additional properties',
      '/services/gateway/restart must be string',
    ]);
  });

  it('has the gateway, ollama, valkey and postgres services, each with a health check', () => {
    expect(Object.keys(services).sort()).toEqual(['gateway', 'ollama', 'postgres', 'valkey']);
    for (const [name, service] of Object.entries(services)) {
      const test = service.healthcheck?.test;
      expect(test, `${name} healthcheck`).toBeDefined();
      expect(Array.isArray(test) ? test[0] : 'CMD-SHELL').toMatch(/^CMD(-SHELL)?$/);
    }
    expect(services.ollama?.image).toMatch(/^ollama\/ollama(:|$)/);
    expect(services.valkey?.image).toMatch(/^valkey\/valkey(:|$)/);
    expect(services.postgres?.image).toMatch(/^postgres(:|$)/);
    expect(services.gateway?.build).toBeDefined();
  });

  it('starts the gateway only once its dependencies are healthy', () => {
    expect(services.gateway?.depends_on).toEqual({
      ollama: { condition: 'service_healthy' },
      valkey: { condition: 'service_healthy' },
      postgres: { condition: 'service_healthy' },
    });
  });

  it('publishes only the gateway, on container port 8001', () => {
    expect(services.gateway?.ports).toHaveLength(1);
    expect(services.gateway?.ports?.[0]).toMatch(/:8001$/);
    for (const name of ['ollama', 'valkey', 'postgres'])
      expect(services[name]?.ports).toBeUndefined();
  });

  it('keeps data in named volumes', () => {
    const named = Object.keys(compose.volumes ?? {});
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        expect(named, `${name} mounts ${volume}`).toContain(volume.split(':')[0]);
      }
    }
    for (const name of ['ollama', 'valkey', 'postgres', 'gateway']) {
      expect(services[name]?.volumes?.length, `${name} volumes`).toBeGreaterThan(0);
    }
  });

  it('sets only env vars the gateway config reads, pointing at the compose services', () => {
    const known = configEnvNames();
    expect(known.size).toBeGreaterThan(10);
    const gateway = services.gateway!;
    for (const name of envNames(gateway)) expect(known, `unknown env ${name}`).toContain(name);
    const env = gateway.environment as Record<string, string>;
    expect(env.OLLAMA_URL).toBe('http://ollama:11434');
    expect(env.VALKEY_URL).toBe('redis://valkey:6379');
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
    expect(env.PORT).toBe('8001');
    expect(env.HOST).toBe('0.0.0.0');
  });

  it('gives the gateway a config that loads', () => {
    // Compose substitutions (${VAR:-default}) resolved to their defaults, as with an empty shell.
    const env = Object.fromEntries(
      Object.entries(services.gateway?.environment as Record<string, string>).map(([k, v]) => [
        k,
        String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1'),
      ]),
    );
    const config = loadConfig(env);
    expect(config.port).toBe(8001);
    expect(config.ollamaUrls).toEqual(['http://ollama:11434']);
    expect(config.valkeyUrl).toBe('redis://valkey:6379');
  });
});

describe('Dockerfile', () => {
  it('passes the Dockerfile linter (dockerfile-utils, every rule an error)', () => {
    const E = ValidationSeverity.ERROR;
    const strict = {
      deprecatedMaintainer: E,
      directiveCasing: E,
      emptyContinuationLine: E,
      instructionCasing: E,
      instructionCmdMultiple: E,
      instructionEntrypointMultiple: E,
      instructionHealthcheckMultiple: E,
      instructionJSONInSingleQuotes: E,
      instructionWorkdirRelative: E,
    };
    const messages = (text: string) =>
      lintDockerfile(text, strict).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
    expect(messages(dockerfile)).toEqual([]);
    // The linter does flag problems (a second CMD in a stage, an unknown instruction).
    const lines = dockerfile.split('\n');
    const cmd = lines.findIndex((l) => l.startsWith('CMD ')) + 1;
    expect(messages(`${dockerfile}CMD ["node", "x.js"]\nCOPYY a b\n`)).toEqual([
      expect.stringMatching(new RegExp(`^line ${cmd}: There can only be one CMD instruction`)),
      `line ${lines.length + 1}: Unknown instruction: COPYY`,
    ]);
  });
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const named = (keyword: string) =>
    instructions.filter((l) => l.toUpperCase().startsWith(`${keyword} `));

  it('is multi-stage on node 20 bookworm-slim', () => {
    const froms = named('FROM');
    expect(froms.length).toBeGreaterThanOrEqual(2);
    expect(froms.some((l) => /\bAS build\b/i.test(l))).toBe(true);
    expect(dockerfile).toMatch(/node:20-bookworm-slim/);
    expect(dockerfile).toMatch(/COPY --from=build/);
  });

  it('installs from the lockfile and deploys only production deps of the gateway', () => {
    expect(dockerfile).toMatch(/pnpm install --frozen-lockfile/);
    expect(dockerfile).toMatch(/pnpm --filter @intellicore\/llm-gateway --prod deploy --legacy/);
  });

  it('runs as a non-root user with a /healthz health check on port 8001', () => {
    const users = named('USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^USER\s+(root|0)(:|\s|$)/i);
    const healthcheck = named('HEALTHCHECK');
    expect(healthcheck).toHaveLength(1);
    expect(healthcheck[0]).toMatch(/\/healthz/);
    expect(named('EXPOSE')).toEqual(['EXPOSE 8001']);
    // The runtime stage's user comes after its FROM.
    expect(instructions.lastIndexOf(users.at(-1)!)).toBeGreaterThan(
      instructions.lastIndexOf(named('FROM').at(-1)!),
    );
  });

  it('ships the built playground and points PLAYGROUND_DIR at it', () => {
    expect(dockerfile).toMatch(/--filter=@intellicore\/playground/);
    const copy = named('COPY').find((l) => l.includes('apps/playground/dist'));
    expect(copy).toBeDefined();
    const target = copy!.split(/\s+/).at(-1)!.replace(/^\.\//, '');
    const env = named('ENV').join(' ');
    expect(env).toMatch(new RegExp(`PLAYGROUND_DIR=/app/${target}\\b`));
  });

  it('sets only env vars the gateway reads (plus NODE_ENV)', () => {
    const known = configEnvNames();
    const names = named('ENV').flatMap((l) =>
      [...l.slice(4).matchAll(/([A-Z_][A-Z0-9_]*)=/g)].map((m) => m[1] as string),
    );
    expect(names).toContain('PORT');
    for (const name of names)
      if (name !== 'NODE_ENV' && name !== 'CI') expect(known).toContain(name);
  });
});
