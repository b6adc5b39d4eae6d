/**
 * A stored key's model list, and the fallback models a request may go on to: both decided here
 * so every door and operation applies them alike.
 */
import { GatewayError } from '../errors.js';
import { canonicalModelName } from '../policy/model-names.js';
import type { ModelPolicy } from '../policy/model-policy.js';
import type { Caller, RequestContext } from './context.js';

/** True when the caller's key may use the (resolved) model: no list means every model. */
export function keyAllows(caller: Caller, model: string): boolean {
  if (!caller.models) return true;
  const wanted = canonicalModelName(model);
  return caller.models.some((m) => canonicalModelName(m) === wanted);
}

/** MODEL_NOT_ALLOWED unless the key lists the model (by the name asked for, or what it means). */
export function requireKeyModel(caller: Caller, model: string, requested?: string): void {
  if (!caller.models || keyAllows(caller, model)) return;
  if (requested && keyAllows(caller, requested)) return;
  const name = requested?.trim() || model;
  throw new GatewayError('MODEL_NOT_ALLOWED', `Model '${name}' is not allowed for this API key`, {
    details: { model: name },
  });
}

/**
 * `modelsFor(model, ctx)`: the model, then its fallbacks (MODEL_FALLBACKS) that the gateway and
 * the caller's key allow. Models without fallbacks get a one-element list (no extra work).
 */
export function fallbackChains(
  fallbacks: Record<string, readonly string[]> | undefined,
  policy: ModelPolicy,
): (model: string, ctx: RequestContext) => readonly string[] {
  const chains = new Map<string, readonly string[]>();
  for (const [model, next] of Object.entries(fallbacks ?? {})) {
    chains.set(canonicalModelName(model), next);
  }
  if (chains.size === 0) return (model) => [model];
  return (model, ctx) => {
    const next = chains.get(canonicalModelName(model));
    if (!next) return [model];
    const usable = next.filter((m) => policy.isAllowed(m) && keyAllows(ctx.caller, m));
    return [model, ...usable];
  };
}
