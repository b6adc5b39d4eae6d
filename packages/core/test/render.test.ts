import { describe, expect, it } from 'vitest';
import { GatewayError } from '../src/errors.js';
import { BUILT_IN_TEMPLATES } from '../src/templates/builtins/index.js';
import type { TemplateVersion, VariableDeclaration } from '../src/templates/model.js';
import { TemplateEngine } from '../src/templates/runtime/engine.js';
import { renderVersion } from '../src/templates/service/renderer.js';
import { resolveVariables } from '../src/templates/variables.js';

function rejection(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a GatewayError');
}

const declarations: VariableDeclaration[] = [
  { name: 'title', type: 'string', required: true, maxLength: 10 },
  { name: 'count', type: 'number', required: true },
  { name: 'flag', type: 'boolean', required: false, default: false },
  { name: 'items', type: 'array', required: false, default: [], maxLength: 3 },
  { name: 'meta', type: 'object', required: false },
  { name: 'tone', type: 'enum', values: ['formal', 'casual'], required: false, default: 'formal' },
];

describe('variables against their declaration', () => {
  it('lists every missing required variable in one MISSING_VARIABLES error', () => {
    const error = rejection(() => resolveVariables(declarations, { flag: true }));
    expect(error.code).toBe('MISSING_VARIABLES');
    expect(error.fieldErrors).toEqual([
      { path: 'variables.title', message: 'required' },
      { path: 'variables.count', message: 'required' },
    ]);
    expect(error.details?.missing).toEqual(['title', 'count']);
  });

  it('answers wrong types with BAD_REQUEST, one field error per variable', () => {
    const error = rejection(() =>
      resolveVariables(declarations, {
        title: 5,
        count: 'three',
        flag: 'yes',
        items: {},
        meta: [],
        tone: 'angry',
      }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors?.map((f) => f.path)).toEqual([
      'variables.title',
      'variables.count',
      'variables.flag',
      'variables.items',
      'variables.meta',
      'variables.tone',
    ]);
    expect(error.fieldErrors?.[1]?.message).toBe('must be a finite number, got string');
  });

  it('rejects unknown variables', () => {
    const error = rejection(() =>
      resolveVariables(declarations, { title: 't', count: 1, extra: 1 }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors).toEqual([
      { path: 'variables.extra', message: 'unknown variable (not declared by the template)' },
    ]);
  });

  it('enforces maxLength for strings (characters) and arrays (items)', () => {
    const error = rejection(() =>
      resolveVariables(declarations, { title: 'x'.repeat(11), count: 1, items: [1, 2, 3, 4] }),
    );
    expect(error.fieldErrors?.map((f) => f.message)).toEqual([
      'must be at most 10 characters (got 11)',
      'must have at most 3 items (got 4)',
    ]);
  });

  it('applies defaults and copies data (no getters reach the template)', () => {
    let reads = 0;
    const meta = {
      get secret() {
        reads++;
        return 's';
      },
    };
    const data = resolveVariables(declarations, { title: 't', count: 2, meta });
    expect(data).toEqual({
      title: 't',
      count: 2,
      flag: false,
      items: [],
      meta: { secret: 's' },
      tone: 'formal',
    });
    expect(Object.getOwnPropertyDescriptor(data.meta, 'secret')?.get).toBeUndefined();
    expect(reads).toBe(1);
  });

  it('treats null as absent', () => {
    expect(resolveVariables(declarations, { title: 't', count: 1, tone: null })).toMatchObject({
      tone: 'formal',
    });
  });
});

const custom: TemplateVersion = {
  id: 'greeting',
  version: 3,
  name: 'Greeting',
  description: '',
  template: 'Hello <%= it.name %><% if (it.excited) { %>!<% } %>',
  systemPrompt: 'You greet in <%= it.language %>.',
  variables: [
    { name: 'name', type: 'string', required: true },
    { name: 'excited', type: 'boolean', required: false, default: true },
    { name: 'language', type: 'string', required: false, default: 'English' },
  ],
  model: 'llama3.2',
  options: { temperature: 0.3 },
  output: 'text',
  tags: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: null,
  commitMessage: null,
  labels: ['latest'],
  builtIn: false,
};

describe('renderVersion', () => {
  it('returns prompt, system prompt, model, options, output and id@version', () => {
    const engine = new TemplateEngine();
    expect(renderVersion(engine, custom, { name: 'Ada' })).toEqual({
      prompt: 'Hello Ada!',
      systemPrompt: 'You greet in English.',
      model: 'llama3.2',
      options: { temperature: 0.3 },
      output: 'text',
      templateId: 'greeting',
      version: 3,
    });
  });

  it('caches compiled templates by id@version and recompiles a changed source', () => {
    const engine = new TemplateEngine();
    renderVersion(engine, custom, { name: 'A' });
    renderVersion(engine, custom, { name: 'B' });
    expect(engine.cachedCount).toBe(2); // template + systemPrompt of greeting@3
    renderVersion(engine, { ...custom, version: 4 }, { name: 'C' });
    expect(engine.cachedCount).toBe(4);
    const changed = renderVersion(
      engine,
      { ...custom, template: 'Bye <%= it.name %>' },
      { name: 'D' },
    );
    expect(changed.prompt).toBe('Bye D');
  });

  it('renders every built-in with its required variables', () => {
    const engine = new TemplateEngine();
    const samples: Record<string, Record<string, unknown>> = {
      'field-validation': {
        fieldName: 'email',
        value: 'ada@example',
        fieldType: 'email',
        rules: ['must be a work address'],
      },
      'object-type-suggestion': { objectType: 'Invoice', existingFields: ['number', 'total'] },
      'relationship-validation': {
        sourceType: 'Customer',
        targetType: 'Order',
        relationshipType: 'has many',
      },
      'document-summarize': { document: 'The meeting moved to Friday.', style: 'bullets' },
      'rag-answer': {
        question: 'When?',
        documents: [{ id: 'd1', title: 'Minutes', content: 'Friday at 10.' }, 'plain text passage'],
      },
      'natural-language-query': {
        question: 'How many orders today?',
        schema: 'orders(id, created_at)',
      },
    };
    for (const t of BUILT_IN_TEMPLATES.values()) {
      const r = renderVersion(engine, t, samples[t.id]);
      expect(r.templateId).toBe(t.id);
      expect(r.systemPrompt?.length).toBeGreaterThan(100);
      expect(r.output).not.toBe('text');
    }
    const fv = renderVersion(
      engine,
      BUILT_IN_TEMPLATES.get('field-validation')!,
      samples['field-validation'],
    );
    expect(fv.prompt).toContain('Declared type: email\nRules:\n- must be a work address\n');
    expect(fv.prompt).toContain('<<<\nada@example\n>>>');
    const rag = renderVersion(engine, BUILT_IN_TEMPLATES.get('rag-answer')!, samples['rag-answer']);
    expect(rag.prompt).toContain('[d1] Minutes\nFriday at 10.');
    expect(rag.prompt).toContain('[?]\nplain text passage');
    const ots = renderVersion(
      engine,
      BUILT_IN_TEMPLATES.get('object-type-suggestion')!,
      samples['object-type-suggestion'],
    );
    expect(ots.prompt).toContain('do not repeat them): number, total');
    expect(ots.prompt).toContain('Suggest at most 12 fields');
  });

  it('reports a runtime failure as TEMPLATE_INVALID naming the field', () => {
    const engine = new TemplateEngine();
    const broken = {
      ...custom,
      template: '<%= it.meta.deep.value %>',
      variables: [{ name: 'meta', type: 'object' as const, required: false }],
    };
    const error = rejection(() => renderVersion(engine, broken, { meta: {} }));
    expect(error.code).toBe('TEMPLATE_INVALID');
    expect(error.fieldErrors?.[0]?.path).toBe('template');
    expect(error.message).toContain('render failed');
  });
});
