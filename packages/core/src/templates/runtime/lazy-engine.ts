import type { RenderLimits } from './budget.js';
import type { TemplateEngine } from './engine.js';

/** The engine, created on first use. */
export type EngineLoader = () => Promise<TemplateEngine>;

/**
 * The template language (eta, and acorn for the safety checker: ~2 MB resident) loads with the
 * first template written or rendered, not with the process: a gateway that never renders a
 * template never pays for it. The import is paid once (~15 ms); later calls reuse the engine.
 */
export function lazyTemplateEngine(limits: RenderLimits): EngineLoader {
  let engine: Promise<TemplateEngine> | undefined;
  return () => {
    engine ??= import('./engine.js').then(({ TemplateEngine }) => new TemplateEngine(limits));
    return engine;
  };
}
