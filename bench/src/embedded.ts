/**
 * `pnpm --filter @intellicore/bench bench:embedded` (issue 6 item 6): the embedded engine.
 * 1. Tokens/s of the demo model (random weights) through the gateway's /api/chat vs
 *    node-llama-cpp called directly, alternating rounds in the same process and run.
 * 2. Embeddings/s for 64 concurrent single-text callers of /api/embed with the core's
 *    micro-batching on vs off (and direct sequential getEmbeddingFor as the reference).
 * The gateway runs in this process here (the engine is in-process by design; llama.cpp does its
 * work on native threads), built from core's createGatewayService so batching can be toggled.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEmbeddedProvider, createGatewayService } from '@intellicore/llm-core';
import { startGateway } from '@intellicore/llm-gateway';
import { DEMO_MODEL_NAME, ensureDemoModel } from '@intellicore/testkit';
import { getLlama, LlamaChatSession, LlamaLogLevel } from 'node-llama-cpp';
import { createHttpClient } from './http-client.js';
import { runClosedLoop } from './load.js';
import { summarize } from './stats.js';

const smoke = process.env.BENCH_SMOKE === '1';
const ROUNDS = smoke ? 1 : 3;
const PROMPTS_PER_ROUND = smoke ? 2 : 6;
const MAX_TOKENS = 64;
const EMBED_CALLERS = 64;
const EMBEDS_PER_ROUND = smoke ? 64 : 512;
const threads = Math.max(1, availableParallelism() - 1);
const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'intellicore-bench-embedded-'));
  const { path: modelPath } = await ensureDemoModel(dir);
  const http = createHttpClient();

  // Direct: node-llama-cpp with the same settings the provider uses (CPU, cores − 1 threads).
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize: 512, threads, sequences: 1 });
  const session = new LlamaChatSession({ contextSequence: context.getSequence() });
  const embedding = await model.createEmbeddingContext({ threads });

  const gatewayWith = async (batching: boolean) => {
    const service = createGatewayService({
      upstreams: [createEmbeddedProvider({ modelsDir: dir, threads })],
      policy: {
        allowedModels: null,
        aliases: {},
        defaultChatModel: DEMO_MODEL_NAME,
        defaultEmbeddingModel: DEMO_MODEL_NAME,
      },
      embedBatching: { enabled: batching },
    });
    return startGateway({
      service,
      env: { OLLAMA_URL: '', MODELS_DIR: dir, LOG_LEVEL: 'warn', DATABASE_URL: join(dir, 'db') },
      port: 0,
      host: '127.0.0.1',
    });
  };
  const batched = await gatewayWith(true);
  const unbatched = await gatewayWith(false);

  try {
    // 1. tokens/s, alternating direct and gateway rounds.
    const tokensPerSecond = { direct: [] as number[], gateway: [] as number[] };
    const chatUrl = new URL('/api/chat', batched.url);
    for (let round = 0; round < ROUNDS + 1; round++) {
      const warm = round === 0;
      let tokens = 0;
      let started = performance.now();
      for (let i = 0; i < PROMPTS_PER_ROUND; i++) {
        session.resetChatHistory();
        await session.prompt(`Tell me a story number ${round}.${i}`, {
          maxTokens: MAX_TOKENS,
          onToken: (t) => {
            tokens += t.length;
          },
        });
      }
      if (!warm) tokensPerSecond.direct.push(tokens / ((performance.now() - started) / 1000));
      tokens = 0;
      started = performance.now();
      for (let i = 0; i < PROMPTS_PER_ROUND; i++) {
        const body = JSON.stringify({
          model: DEMO_MODEL_NAME,
          messages: [{ role: 'user', content: `Tell me a story number ${round}.${i}` }],
          stream: false,
          options: { num_predict: MAX_TOKENS },
        });
        const answer = JSON.parse(await http.postJson(chatUrl, body)) as { eval_count?: number };
        tokens += answer.eval_count ?? 0;
      }
      if (!warm) tokensPerSecond.gateway.push(tokens / ((performance.now() - started) / 1000));
    }

    // 2. embeddings: 64 concurrent single-text callers, batching on vs off, alternating.
    let n = 0;
    const embedOp = (base: string) => {
      const url = new URL('/api/embed', base);
      return async () => {
        n++;
        await http.postJson(url, JSON.stringify({ model: DEMO_MODEL_NAME, input: `text ${n}` }));
        return undefined;
      };
    };
    const embedRuns = {
      on: [] as number[],
      off: [] as number[],
      latOn: [] as number[],
      latOff: [] as number[],
    };
    for (let round = 0; round < ROUNDS + 1; round++) {
      for (const [side, base] of [
        ['on', batched.url],
        ['off', unbatched.url],
      ] as const) {
        const result = await runClosedLoop({
          concurrency: EMBED_CALLERS,
          requests: round === 0 ? EMBED_CALLERS : EMBEDS_PER_ROUND,
          maxDurationMs: 60_000,
          op: embedOp(base),
        });
        if (result.errors) throw new Error(`embed (batching ${side}): ${result.firstError}`);
        if (round === 0) continue;
        embedRuns[side].push((result.completed / result.elapsedMs) * 1000);
        embedRuns[side === 'on' ? 'latOn' : 'latOff'].push(summarize(result.latencies).p50);
      }
    }
    let directEmbeds = 0;
    const directStart = performance.now();
    for (let i = 0; i < (smoke ? 16 : 128); i++) {
      await embedding.getEmbeddingFor(`text direct ${i}`);
      directEmbeds++;
    }
    const directEmbedRate = (directEmbeds / (performance.now() - directStart)) * 1000;

    const median = (xs: number[]) =>
      [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
    const f = (v: number) => v.toFixed(1);
    const table = [
      `## Embedded engine (demo model, random weights; ${availableParallelism()} cores, ${threads} threads; median of ${ROUNDS} alternating rounds)`,
      '',
      '| measurement | direct node-llama-cpp | through the gateway | gateway / direct |',
      '|---|---|---|---|',
      `| chat tokens/s (max ${MAX_TOKENS} tokens, sequential) | ${f(median(tokensPerSecond.direct))} | ${f(median(tokensPerSecond.gateway))} | ${(median(tokensPerSecond.gateway) / median(tokensPerSecond.direct)).toFixed(2)} |`,
      '',
      `| embeddings, ${EMBED_CALLERS} concurrent single-text callers | embeddings/s | p50 ms |`,
      '|---|---|---|',
      `| gateway /api/embed, micro-batching on | ${f(median(embedRuns.on))} | ${f(median(embedRuns.latOn))} |`,
      `| gateway /api/embed, micro-batching off | ${f(median(embedRuns.off))} | ${f(median(embedRuns.latOff))} |`,
      `| direct getEmbeddingFor, sequential (reference) | ${f(directEmbedRate)} | – |`,
      '',
    ].join('\n');
    process.stdout.write(table);
  } finally {
    http.close();
    await Promise.allSettled([batched.close(), unbatched.close()]);
    await embedding.dispose();
    await context.dispose();
    await model.dispose();
    await llama.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(
      `bench:embedded failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exit(1);
  },
);
