import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { writeTinyGguf } from './tiny-model.js';

/**
 * The demo model's name says what it is: random weights, no training. It exists so the gateway
 * can be tried end to end (and CI can exercise the embedded engine) without a model download.
 */
export const DEMO_MODEL_NAME = 'random-weights-demo';

/** Creates `${modelsDir}/random-weights-demo.gguf` unless it already exists. */
export async function ensureDemoModel(
  modelsDir: string,
): Promise<{ path: string; created: boolean }> {
  const path = join(modelsDir, `${DEMO_MODEL_NAME}.gguf`);
  try {
    await access(path);
    return { path, created: false };
  } catch {
    await writeTinyGguf(path, { name: DEMO_MODEL_NAME });
    return { path, created: true };
  }
}
