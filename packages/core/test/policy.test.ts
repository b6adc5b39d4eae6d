import { describe, expect, it } from 'vitest';
import type { GatewayError } from '../src/errors.js';
import { canonicalModelName, sameModel } from '../src/policy/model-names.js';
import { createModelPolicy } from '../src/policy/model-policy.js';

const policy = createModelPolicy({
  allowedModels: [
    'llama3.2',
    'llama3.2:1b',
    'nomic-embed-text:latest',
    'registry.local:5000/team/coder',
  ],
  aliases: { fast: 'llama3.2:1b', embedder: 'nomic-embed-text' },
  defaultChatModel: 'llama3.2',
  defaultEmbeddingModel: 'nomic-embed-text',
});

function refusal(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected a refusal');
}

describe('model names', () => {
  it('a name without a tag is :latest; a registry port is not a tag', () => {
    expect(canonicalModelName('llama3.2')).toBe('llama3.2:latest');
    expect(canonicalModelName(' llama3.2:1b ')).toBe('llama3.2:1b');
    expect(canonicalModelName('registry.local:5000/team/coder')).toBe(
      'registry.local:5000/team/coder:latest',
    );
    expect(sameModel('mistral', 'mistral:latest')).toBe(true);
    expect(sameModel('mistral', 'mistral:7b')).toBe(false);
  });
});

describe('model policy', () => {
  it('allows exact names, with name ≡ name:latest, and nothing else', () => {
    expect(policy.resolve('llama3.2:latest', 'chat')).toBe('llama3.2:latest');
    expect(policy.resolve('nomic-embed-text', 'embed')).toBe('nomic-embed-text');
    expect(policy.resolve('registry.local:5000/team/coder:latest', 'chat')).toBe(
      'registry.local:5000/team/coder:latest',
    );
    for (const name of ['llama3.2:3b', 'mistral', 'llama3', 'LLAMA3.2']) {
      const error = refusal(() => policy.resolve(name, 'chat'));
      expect(error.code).toBe('MODEL_NOT_ALLOWED');
      expect(error.message).toContain(name);
    }
  });

  it('resolves aliases and applies the default of each use', () => {
    expect(policy.resolve('fast', 'chat')).toBe('llama3.2:1b');
    expect(policy.resolve('embedder', 'embed')).toBe('nomic-embed-text');
    expect(policy.resolve(undefined, 'chat')).toBe('llama3.2');
    expect(policy.resolve('  ', 'embed')).toBe('nomic-embed-text');
  });

  it('management operations need a name and name the field when it is missing', () => {
    const error = refusal(() => policy.resolve(undefined, 'manage', 'name'));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors).toEqual([{ path: 'name', message: 'a model name is required' }]);
    expect(refusal(() => policy.resolve('mistral', 'manage')).code).toBe('MODEL_NOT_ALLOWED');
  });

  it('lists itself, and null allows every model', () => {
    expect(policy.allowed()).toEqual({
      models: [
        'llama3.2',
        'llama3.2:1b',
        'nomic-embed-text:latest',
        'registry.local:5000/team/coder',
      ],
      aliases: { fast: 'llama3.2:1b', embedder: 'nomic-embed-text' },
      defaultChatModel: 'llama3.2',
      defaultEmbeddingModel: 'nomic-embed-text',
    });
    const open = createModelPolicy({
      allowedModels: null,
      defaultChatModel: 'a',
      defaultEmbeddingModel: 'b',
    });
    expect(open.resolve('anything:7b', 'chat')).toBe('anything:7b');
    expect(open.isAllowed('whatever')).toBe(true);
    expect(open.allowed().models).toBeNull();
  });

  it('refuses at start an alias that points outside the allow-list', () => {
    expect(() =>
      createModelPolicy({
        allowedModels: ['a'],
        aliases: { x: 'b' },
        defaultChatModel: 'a',
        defaultEmbeddingModel: 'a',
      }),
    ).toThrow(/alias 'x'/);
  });
});
