#!/usr/bin/env node
// `pnpm start`: makes sure the embedded demo model exists when the embedded engine is the only
// upstream, starts the built gateway, and once it answers /healthz prints the URL and a
// copy-pasteable example call. Environment passes through.
//
// MODELS_DIR as the gateway reads it (apps/gateway/src/config.ts): `off` (or none/false)
// disables the embedded engine; a path enables it; unset, it is `./models` without OLLAMA_URL
// (the demo model is generated there) and off with OLLAMA_URL.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const testkit = resolve(root, 'packages/testkit/dist/index.js');
const gatewayMain = resolve(root, 'apps/gateway/dist/main.js');
const OFF_VALUES = ['off', 'none', 'false']; // as config.ts's OFF_VALUES

for (const file of [testkit, gatewayMain]) {
  if (!existsSync(file)) {
    console.error(`missing ${file}: run the build first (pnpm build)`);
    process.exit(1);
  }
}

const ollama = (process.env.OLLAMA_URL ?? '').trim() !== '';
const configured = (process.env.MODELS_DIR ?? '').trim();
const embeddedOff = OFF_VALUES.includes(configured.toLowerCase()) || (!configured && ollama);
/** The embedded engine's directory (absolute, so the gateway's cwd does not matter), or none. */
const modelsDir = embeddedOff ? undefined : resolve(configured || resolve(root, 'models'));

const { ensureDemoModel, DEMO_MODEL_NAME } = await import(testkit);
if (!modelsDir) {
  console.log(
    ollama
      ? 'embedded engine off: Ollama at OLLAMA_URL is the upstream'
      : 'embedded engine off (MODELS_DIR=off) and no OLLAMA_URL: no upstream, chats answer 503',
  );
} else if (ollama) {
  console.log(`embedded engine serves the GGUF files in ${modelsDir}, next to Ollama`);
} else {
  const demo = await ensureDemoModel(modelsDir);
  console.log(
    demo.created
      ? `generated the demo model ${DEMO_MODEL_NAME} (random weights: its text is gibberish) at ${demo.path}`
      : `demo model ${DEMO_MODEL_NAME} found at ${demo.path}`,
  );
}

const port = process.env.PORT ?? '8001';
const child = spawn(process.execPath, [gatewayMain], {
  stdio: 'inherit',
  env: { ...process.env, MODELS_DIR: modelsDir ?? 'off', PORT: port },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
let failed = false;
child.on('exit', (code, signal) => process.exit(failed ? 1 : (code ?? (signal ? 1 : 0))));

const base = `http://localhost:${port}`;
let healthy = false;
for (let attempt = 0; attempt < 600 && !healthy; attempt++) {
  try {
    healthy = (await fetch(`${base}/healthz`)).ok;
  } catch {
    // not listening yet
  }
  if (!healthy) await new Promise((r) => setTimeout(r, 100));
}
if (!healthy) {
  // Never print "serving" for a gateway that does not answer.
  failed = true;
  console.error(`the gateway did not answer ${base}/healthz within 60 s; stopping it`);
  child.kill('SIGTERM');
} else {
  printWelcome();
}

function printWelcome() {
  const model = process.env.OLLAMA_URL
    ? (process.env.OLLAMA_DEFAULT_MODEL ?? 'llama3.2')
    : DEMO_MODEL_NAME;
  console.log(
    `\nintelliCore LLM Gateway is serving ${base}  (tRPC ${base}/trpc · OpenAI ${base}/v1 · Ollama ${base}/api · ${base}/metrics)`,
  );
  // temperature 0: the same answer on every run (sampled, the demo model's first token is its
  // end-of-text token often enough to answer "" about one start in twelve).
  console.log(
    `try: curl -s ${base}/v1/chat/completions -H 'content-type: application/json' -d '{"model":"${model}","messages":[{"role":"user","content":"Hello"}],"max_tokens":16,"temperature":0}'\n`,
  );
}
