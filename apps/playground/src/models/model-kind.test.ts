import { describe, expect, it } from 'vitest';
import { modelKey, modelKind, shortName } from './model-kind.js';

describe('modelKind', () => {
  it('follows Ollama capabilities when the model reports them', () => {
    expect(modelKind({ name: 'nomic-embed-text', capabilities: ['embedding'] })).toBe('embedding');
    expect(modelKind({ name: 'llama3.2', capabilities: ['completion', 'tools'] })).toBe('chat');
    // A model that does both is offered for chat.
    expect(modelKind({ name: 'x', capabilities: ['completion', 'embedding'] })).toBe('chat');
    // Capabilities win over a misleading name.
    expect(modelKind({ name: 'embed-chat', capabilities: ['completion'] })).toBe('chat');
  });

  it('falls back to the family, then the name, when capabilities are missing', () => {
    expect(modelKind({ name: 'mxbai', family: 'bert' })).toBe('embedding');
    expect(modelKind({ name: 'n', family: 'nomic-bert' })).toBe('embedding');
    expect(modelKind({ name: 'bge-m3', family: 'xlm-roberta' })).toBe('embedding');
    expect(modelKind({ name: 'llama3.2', family: 'llama' })).toBe('chat');
    expect(modelKind({ name: 'all-minilm-embed' })).toBe('embedding');
    expect(modelKind({ name: 'qwen3', capabilities: [] })).toBe('chat');
  });
});

describe('model names', () => {
  it('treats name and name:latest as one model and shows the short form', () => {
    expect(modelKey('llama3.2')).toBe('llama3.2:latest');
    expect(modelKey('llama3.2:latest')).toBe('llama3.2:latest');
    expect(modelKey('llama3.2:1b')).toBe('llama3.2:1b');
    expect(modelKey('registry.local:5000/org/model')).toBe('registry.local:5000/org/model:latest');
    expect(shortName('llama3.2:latest')).toBe('llama3.2');
    expect(shortName('llama3.2:1b')).toBe('llama3.2:1b');
  });
});
