import { describe, expect, it } from 'vitest';
import { GatewayError } from '../src/errors.js';
import { BUILT_IN_TEMPLATES } from '../src/templates/builtins/index.js';
import { snakeCase } from '../src/templates/builtins/snake-case.js';
import type { TemplateVersion } from '../src/templates/model.js';
import { TemplateEngine } from '../src/templates/runtime/engine.js';
import { renderVersion } from '../src/templates/service/renderer.js';

// The seed's callers (Python services of the earlier FastAPI gateway) name the built-ins'
// variables in snake_case: field_name, object_type, existing_fields, max_fields, …
const samples: Record<string, Record<string, unknown>> = {
  'field-validation': {
    fieldName: 'email',
    value: 'ada@example',
    fieldType: 'email',
    objectType: 'Customer',
    rules: ['must be a work address'],
  },
  'object-type-suggestion': { objectType: 'Invoice', existingFields: ['number'], maxFields: 5 },
  'relationship-validation': {
    sourceType: 'Customer',
    targetType: 'Order',
    relationshipType: 'has many',
    sourceExample: { id: 1 },
  },
  'document-summarize': { document: 'The meeting moved to Friday.', maxWords: 40 },
  'rag-answer': { question: 'When?', documents: ['Friday at 10.'] },
  'natural-language-query': { question: 'How many orders?', schema: 'orders(id)', maxRows: 10 },
};

const builtIn = (id: string) => BUILT_IN_TEMPLATES.get(id) as TemplateVersion;
const snakeKeys = (vars: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(vars).map(([k, v]) => [snakeCase(k), v]));

function rejection(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a GatewayError');
}

describe('built-in templates take snake_case variable names', () => {
  it('renders every built-in the same from snake_case as from camelCase', () => {
    const engine = new TemplateEngine();
    expect(Object.keys(samples).sort()).toEqual([...BUILT_IN_TEMPLATES.keys()]);
    for (const [id, vars] of Object.entries(samples)) {
      const snake = snakeKeys(vars);
      // rag-answer's names are single words: the same in both spellings.
      const mapped = Object.keys(snake).some((k) => k.includes('_'));
      expect(mapped, id).toBe(id !== 'rag-answer');
      expect(renderVersion(engine, builtIn(id), snake), id).toEqual(
        renderVersion(engine, builtIn(id), vars),
      );
    }
  });

  it("renders the seed's field-validation call (field_name, value)", () => {
    const r = renderVersion(new TemplateEngine(), builtIn('field-validation'), {
      field_name: 'email',
      value: 'not-an-email',
    });
    expect(r.prompt).toContain('Field: email\n');
    expect(r.prompt).toContain('<<<\nnot-an-email\n>>>');
  });

  it('names a missing variable in snake_case when the caller wrote snake_case', () => {
    const error = rejection(() =>
      renderVersion(new TemplateEngine(), builtIn('field-validation'), {
        value: 'x',
        field_type: 'email',
      }),
    );
    expect(error.code).toBe('MISSING_VARIABLES');
    expect(error.message).toBe('Missing required variables: field_name');
    expect(error.fieldErrors).toEqual([{ path: 'variables.field_name', message: 'required' }]);
    expect(error.details?.missing).toEqual(['field_name']);
  });

  it('names it in camelCase for camelCase callers (and single-word-only callers)', () => {
    for (const vars of [{ value: 'x', fieldType: 'email' }, { value: 'x' }]) {
      const error = rejection(() =>
        renderVersion(new TemplateEngine(), builtIn('field-validation'), vars),
      );
      expect(error.code).toBe('MISSING_VARIABLES');
      expect(error.message).toBe('Missing required variables: fieldName');
      expect(error.details?.missing).toEqual(['fieldName']);
    }
  });

  it('names wrong values as the caller spelled them', () => {
    const error = rejection(() =>
      renderVersion(new TemplateEngine(), builtIn('object-type-suggestion'), {
        object_type: 'Invoice',
        max_fields: 'five',
      }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors).toEqual([
      { path: 'variables.max_fields', message: 'must be a finite number, got string' },
    ]);
  });

  it('refuses a variable given in both spellings, naming both', () => {
    const error = rejection(() =>
      renderVersion(new TemplateEngine(), builtIn('field-validation'), {
        fieldName: 'email',
        field_name: 'mail',
        value: 'x',
      }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toBe('variables.field_name: given twice (also as fieldName)');
  });

  it('keeps custom templates to their declared names', () => {
    const custom: TemplateVersion = {
      ...builtIn('field-validation'),
      id: 'my-copy',
      builtIn: false,
      tags: [],
    };
    const error = rejection(() =>
      renderVersion(new TemplateEngine(), custom, { field_name: 'email', value: 'x' }),
    );
    expect(error.code).toBe('MISSING_VARIABLES');
    expect(error.message).toBe('Missing required variables: fieldName');
  });
});
