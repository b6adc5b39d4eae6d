#!/usr/bin/env node
/**
 * intellicore-testkit CLI:
 *   ensure-demo-model [--dir ./models]   create models/random-weights-demo.gguf if missing
 *   gguf --out FILE [--seed N]           write a tiny random-weights GGUF
 *   fake-ollama [--port 11434]           run the fake Ollama server until SIGINT/SIGTERM
 */
import { parseArgs } from 'node:util';
import { startFakeOllama } from './fake-ollama/index.js';
import { DEMO_MODEL_NAME, ensureDemoModel, writeTinyGguf } from './gguf/index.js';

const USAGE = `usage:
  intellicore-testkit ensure-demo-model [--dir ./models]
  intellicore-testkit gguf --out FILE [--seed N]
  intellicore-testkit fake-ollama [--port 11434] [--host 127.0.0.1]`;

function integer(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a non-negative integer`);
  return n;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      dir: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
    },
  });
  switch (command) {
    case 'ensure-demo-model': {
      const { path, created } = await ensureDemoModel(values.dir ?? './models');
      console.log(
        created
          ? `created ${path} (${DEMO_MODEL_NAME}: random weights, output is noise)`
          : `exists ${path}`,
      );
      return;
    }
    case 'gguf': {
      if (!values.out) throw new Error('gguf: --out FILE is required');
      const seed = integer(values.seed, '--seed', 42);
      await writeTinyGguf(values.out, { seed });
      console.log(`wrote ${values.out} (seed ${seed})`);
      return;
    }
    case 'fake-ollama': {
      const port = integer(values.port, '--port', 11434);
      const server = await startFakeOllama({ port, ...(values.host ? { host: values.host } : {}) });
      console.log(`fake Ollama listening on ${server.url}`);
      const stop = () => {
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return;
    }
    default:
      console.error(USAGE);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
