/**
 * Which models callers may use: an allow-list of exact names (`name` ≡ `name:latest`), aliases
 * and the default chat and embedding models. Applied on every operation, whichever door.
 */
import { badRequest, GatewayError } from '../errors.js';
import type { AllowedModels } from '../service/gateway-service.js';
import { canonicalModelName } from './model-names.js';

export interface ModelPolicyOptions {
  /** Exact names allowed; null (or absent) allows every model. */
  allowedModels?: string[] | null;
  /** Alias → model name, e.g. `{ fast: 'llama3.2:1b' }`. */
  aliases?: Record<string, string>;
  defaultChatModel: string;
  defaultEmbeddingModel: string;
}

/** What a model name is used for: picks the default when the caller gave none. */
export type ModelUse = 'chat' | 'embed' | 'manage';

export interface ModelPolicy {
  /**
   * The model to call for a requested name (alias applied, default when absent), or throws
   * MODEL_NOT_ALLOWED / BAD_REQUEST (`field` names the input field of a missing name).
   */
  resolve(requested: string | undefined, use: ModelUse, field?: string): string;
  /** True when the (already resolved) model name is on the allow-list. */
  isAllowed(model: string): boolean;
  allowed(): AllowedModels;
}

export function createModelPolicy(options: ModelPolicyOptions): ModelPolicy {
  const list = options.allowedModels ?? null;
  const allowedSet = list === null ? null : new Set(list.map(canonicalModelName));
  const aliases = new Map<string, string>();
  for (const [alias, target] of Object.entries(options.aliases ?? {})) {
    aliases.set(alias.trim(), target.trim());
    aliases.set(canonicalModelName(alias), target.trim());
  }
  const isAllowed = (model: string) =>
    allowedSet === null || allowedSet.has(canonicalModelName(model));

  // Fail fast on a configuration that could never work.
  for (const [alias, target] of Object.entries(options.aliases ?? {})) {
    if (!isAllowed(target)) {
      throw new Error(`Model alias '${alias}' points to '${target}', which is not allowed`);
    }
  }

  const snapshot: AllowedModels = {
    models: list === null ? null : [...list],
    aliases: { ...(options.aliases ?? {}) },
    defaultChatModel: options.defaultChatModel,
    defaultEmbeddingModel: options.defaultEmbeddingModel,
  };

  return {
    isAllowed,
    allowed: () => structuredClone(snapshot),
    resolve(requested, use, field = 'model') {
      const given = requested?.trim();
      let name: string;
      if (given) name = given;
      else if (use === 'chat') name = options.defaultChatModel;
      else if (use === 'embed') name = options.defaultEmbeddingModel;
      else throw badRequest([{ path: field, message: 'a model name is required' }]);
      const target = aliases.get(name) ?? aliases.get(canonicalModelName(name)) ?? name;
      if (!isAllowed(target)) {
        throw new GatewayError('MODEL_NOT_ALLOWED', `Model '${name}' is not allowed`, {
          details: { model: name },
        });
      }
      return target;
    },
  };
}
