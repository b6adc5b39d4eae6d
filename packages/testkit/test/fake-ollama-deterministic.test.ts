import { describe, expect, it } from 'vitest';
import {
  fakeChatReply,
  fakeEmbedding,
  fakeGenerateReply,
  fakeJsonReply,
  fakeReplyChunks,
  fakeToolCall,
} from '../src/fake-ollama/index.js';
import { keepAliveMs, normaliseModelName } from '../src/fake-ollama/models.js';

describe('fake Ollama deterministic outputs', () => {
  it('echoes the last user message with the model name', () => {
    const messages = [
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'ignored' },
      { role: 'user', content: 'second question' },
      { role: 'tool', content: 'tool output' },
    ];
    expect(fakeChatReply(messages, 'llama3.2')).toBe('echo(llama3.2): second question');
    expect(fakeGenerateReply('a prompt', 'mistral')).toBe('echo(mistral): a prompt');
  });

  it('splits a reply into word-ish chunks that join back, never cutting a multi-byte char', () => {
    const text = '  héllo wörld 🌍🎉 end ';
    const chunks = fakeReplyChunks(text);
    expect(chunks.join('')).toBe(text);
    expect(chunks).toEqual(['  ', 'héllo ', 'wörld ', '🌍🎉 ', 'end ']);
    expect(fakeReplyChunks('')).toEqual([]);
  });

  it('makes unit-length, deterministic, input-dependent embeddings', () => {
    const a = fakeEmbedding('hello', 32);
    expect(a).toHaveLength(32);
    expect(Math.hypot(...a)).toBeCloseTo(1, 12);
    expect(fakeEmbedding('hello', 32)).toEqual(a);
    expect(fakeEmbedding('hellp', 32)).not.toEqual(a);
  });

  it('calls a tool only when the trigger word is there', () => {
    const tools = [
      { type: 'function', function: { name: 'lookup', parameters: { properties: { q: {} } } } },
      {
        type: 'function',
        function: { name: 'get_weather', parameters: { properties: { city: {} } } },
      },
    ];
    expect(fakeToolCall(tools, "What's the weather in New York?")).toEqual({
      name: 'get_weather',
      arguments: { city: 'New York' },
    });
    expect(fakeToolCall(tools, 'tell me a joke')).toBeUndefined();
    expect(fakeToolCall([], 'weather in Paris')).toBeUndefined();
  });

  it('turns format into valid JSON (plain json, or the properties of a schema)', () => {
    expect(JSON.parse(fakeJsonReply('hi', 'json'))).toEqual({ reply: 'hi' });
    const schema = {
      type: 'object',
      properties: { answer: { type: 'string' }, n: { type: 'integer' } },
    };
    expect(JSON.parse(fakeJsonReply('hi', schema))).toEqual({ answer: 'hi', n: 2 });
  });

  it('reads model names and keep_alive like Ollama', () => {
    expect(normaliseModelName('llama3.2')).toBe('llama3.2:latest');
    expect(normaliseModelName('llama3.2:1b')).toBe('llama3.2:1b');
    expect(normaliseModelName('registry.local:5000/team/model')).toBe(
      'registry.local:5000/team/model:latest',
    );
    expect(keepAliveMs(undefined)).toBe(300_000);
    expect(keepAliveMs(0)).toBe(0);
    expect(keepAliveMs('0')).toBe(0);
    expect(keepAliveMs('1h30m')).toBe(5_400_000);
    expect(keepAliveMs(-1)).toBe(-1);
    expect(keepAliveMs('10s')).toBe(10_000);
  });
});
