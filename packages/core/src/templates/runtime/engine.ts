import { Eta } from 'eta';
import { GatewayError, isGatewayError } from '../../errors.js';
import { type CheckedTemplate, checkTemplate } from '../safety/checker.js';
import { HELPER_NAMES } from '../safety/grammar.js';
import {
  DEFAULT_RENDER_LIMITS,
  RenderBudget,
  RenderLimitError,
  type RenderLimits,
} from './budget.js';
import { createHelpers, toText } from './helpers.js';

type CompiledTemplate = (this: Eta, it: object, options: object) => string;

// Runs at the top of every compiled template: binds the helpers and the loop guard. Names starting
// with `__` cannot be written by a template (the checker refuses them), so only this code uses them.
const FUNCTION_HEADER = [
  'const __h = options.__helpers, __b = options.__budget;',
  `const ${HELPER_NAMES.map((n) => `${n} = __h.${n}`).join(', ')};`,
  'function __loop(v) { return __b.loop(v, () => __eta.res.length); }',
].join('\n');

const DEFAULT_CACHE_SIZE = 1000;

/**
 * eta 4 configured for prompts (no HTML escaping, no `with`, data as `it`), fronted by the
 * safety checker: nothing reaches `eta.compile` without passing it. Compiled functions are cached
 * by a caller-chosen key (`id@version`) and the exact source, so a changed source never reuses a
 * stale function.
 */
export class TemplateEngine {
  private readonly eta = new Eta({
    autoEscape: false,
    autoFilter: true,
    autoTrim: false, // whitespace of a prompt is as written; `-%>` trims one newline on request
    filterFunction: toText,
    useWith: false,
    varName: 'it',
    cache: false,
    functionHeader: FUNCTION_HEADER,
  });
  private readonly compiled = new Map<string, { source: string; fn: CompiledTemplate }>();

  constructor(
    private readonly limits: RenderLimits = DEFAULT_RENDER_LIMITS,
    private readonly cacheSize = DEFAULT_CACHE_SIZE,
  ) {}

  /** Checks a template; throws TEMPLATE_INVALID naming line, column and construct. */
  check(source: string, field = 'template'): CheckedTemplate {
    return checkTemplate(this.eta, source, field);
  }

  /** Renders `source` (checked and compiled once per `key`) with `data`, within the limits. */
  render(key: string, source: string, data: Record<string, unknown>, field = 'template'): string {
    const fn = this.compile(key, source, field);
    const budget = new RenderBudget(this.limits);
    let output: string;
    try {
      output = fn.call(this.eta, data, { __helpers: createHelpers(budget), __budget: budget });
      budget.checkOutput(output.length);
    } catch (error) {
      throw renderError(error, field);
    }
    return output;
  }

  get cachedCount(): number {
    return this.compiled.size;
  }

  private compile(key: string, source: string, field: string): CompiledTemplate {
    const cacheKey = `${key}#${field}`;
    const hit = this.compiled.get(cacheKey);
    if (hit && hit.source === source) {
      this.compiled.delete(cacheKey);
      this.compiled.set(cacheKey, hit);
      return hit.fn;
    }
    const checked = this.check(source, field);
    let fn: CompiledTemplate;
    try {
      fn = this.eta.compile(checked.instrumented) as unknown as CompiledTemplate;
    } catch (error) {
      const text = error instanceof Error ? error.message.split('\n')[0] : 'compile failed';
      throw new GatewayError('TEMPLATE_INVALID', `${field}: ${text}`, {
        fieldErrors: [{ path: field, message: text ?? 'compile failed' }],
      });
    }
    this.compiled.set(cacheKey, { source, fn });
    if (this.compiled.size > this.cacheSize) {
      const oldest = this.compiled.keys().next().value;
      if (oldest !== undefined) this.compiled.delete(oldest);
    }
    return fn;
  }
}

function renderError(error: unknown, field: string): GatewayError {
  if (isGatewayError(error)) return error;
  if (error instanceof RenderLimitError) {
    return new GatewayError('TEMPLATE_INVALID', `${field}: render stopped: ${error.message}`, {
      fieldErrors: [{ path: field, message: `render stopped: ${error.message}` }],
      details: { limit: error.limit },
    });
  }
  const text = error instanceof Error ? error.message : String(error);
  return new GatewayError('TEMPLATE_INVALID', `${field}: render failed: ${text}`, {
    fieldErrors: [{ path: field, message: `render failed: ${text}` }],
  });
}
