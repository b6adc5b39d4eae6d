import { describe, expect, it } from 'vitest';
import { previewTemplate } from './preview.js';

const name = { name: 'name', type: 'string' as const, required: true };

describe('previewTemplate (core checker and renderer, as the browser runs them)', () => {
  it('renders with sample values, defaults and the system prompt', () => {
    const preview = previewTemplate({
      template: 'Hi <%= it.name %>, <%= it.mood %>',
      systemPrompt: 'Be <%= it.mood %>.',
      variables: [
        name,
        { name: 'mood', type: 'enum', values: ['calm'], required: false, default: 'calm' },
      ],
    });
    expect(preview).toEqual({ prompt: 'Hi ‹name›, calm', systemPrompt: 'Be calm.', problems: [] });
  });

  it('reports checker violations with field, line and column', () => {
    const preview = previewTemplate({
      template: 'line one\n  <%= globalThis.process %>',
      systemPrompt: '',
      variables: [],
    });
    expect(preview.prompt).toBeUndefined();
    expect(preview.problems[0]).toMatchObject({ field: 'template', line: 2 });
    expect(preview.problems[0]?.column).toBeGreaterThan(0);
  });

  it('reports undeclared variables and missing required values', () => {
    expect(
      previewTemplate({ template: '<%= it.who %>', systemPrompt: '', variables: [] }).problems[0],
    ).toMatchObject({ field: 'template', line: 1, message: 'it.who is not a declared variable' });
    const missing = previewTemplate(
      { template: '<%= it.name %>', systemPrompt: '', variables: [name] },
      {},
    );
    expect(missing.problems).toEqual([{ field: 'variables.name', message: 'required' }]);
  });
});
