/**
 * What `show()` and `running()` report about the embedded engine's models, in Ollama's shapes.
 */
import type { ModelShow, RunningModel } from '../../types.js';
import type { ModelRegistry } from './model-registry.js';
import type { ModelRuntime } from './model-runtime.js';

/** What Ollama reports as expiry for keep_alive < 0 ("forever"). */
const FAR_FUTURE = '2318-11-26T00:00:00.000Z';

export async function showModel(registry: ModelRegistry, name: string): Promise<ModelShow> {
  const file = await registry.resolve(name);
  const facts = await registry.facts(file);
  const show: ModelShow = {
    // The file name only: the server's directory layout is none of the client's business.
    modelfile: `# Served by the intelliCore embedded engine (llama.cpp)\nFROM ${file.path.split(/[\\/]/).at(-1)}\n`,
    details: facts.details,
    modelInfo: facts.modelInfo,
    capabilities: ['completion', 'embedding'],
    modifiedAt: file.modifiedAt.toISOString(),
  };
  if (facts.chatTemplate !== undefined) show.template = facts.chatTemplate;
  const license = facts.modelInfo['general.license'];
  if (typeof license === 'string') show.license = license;
  return show;
}

export async function runningModels(
  registry: ModelRegistry,
  runtimes: Iterable<ModelRuntime>,
): Promise<RunningModel[]> {
  const out: RunningModel[] = [];
  for (const runtime of runtimes) {
    const state = runtime.state();
    if (!state) continue;
    const info = await registry.info(state.file).catch(() => undefined);
    // While requests run, the expiry is "keep_alive after now" (it restarts when they end).
    const expiresAt =
      state.expiresAt ??
      Date.now() +
        (Number.isFinite(state.keepAliveMs) ? state.keepAliveMs : Number.POSITIVE_INFINITY);
    const model: RunningModel = {
      name: state.file.name,
      model: state.file.name,
      size: state.file.size,
      details: info?.details ?? {},
      expiresAt: Number.isFinite(expiresAt) ? new Date(expiresAt).toISOString() : FAR_FUTURE,
      sizeVram: 0,
    };
    if (info?.digest) model.digest = info.digest;
    if (state.contextLength !== undefined) model.contextLength = state.contextLength;
    out.push(model);
  }
  return out;
}
