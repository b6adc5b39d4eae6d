import { describe, expect, it } from 'vitest';
import { limitsOf, nestedObjects, typeLabel } from './json-schema.js';

describe('typeLabel', () => {
  it('names scalars, constants, enums, arrays, records and unions for people', () => {
    expect(typeLabel({ type: 'string' })).toBe('string');
    expect(typeLabel({ type: 'string', const: 'delta' })).toBe('"delta"');
    expect(typeLabel({ type: 'string', enum: ['a', 'b'] })).toBe('"a" | "b"');
    expect(typeLabel({ type: 'array', items: { type: 'number' } })).toBe('number[]');
    expect(typeLabel({ type: 'object', additionalProperties: {} })).toBe('record<string, any>');
    expect(typeLabel({ type: 'object', additionalProperties: { type: 'string' } })).toBe(
      'record<string, string>',
    );
    expect(typeLabel({ anyOf: [{ type: 'number' }, { type: 'string' }] })).toBe('number | string');
    // zod's Date has no JSON form ({}): the string alternative stands for it.
    expect(typeLabel({ anyOf: [{}, { type: 'string', format: 'date-time' }] })).toBe(
      'string (date-time)',
    );
    expect(typeLabel({})).toBe('any');
  });
});

describe('limitsOf', () => {
  it('says ranges and defaults, not the safe-integer bounds zod writes for int()', () => {
    expect(limitsOf({ type: 'string', minLength: 1, maxLength: 200 })).toEqual(['1–200 chars']);
    expect(limitsOf({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER })).toEqual([
      '≥ 0',
    ]);
    expect(limitsOf({ type: 'array', maxItems: 2048 })).toEqual(['at most 2048 items']);
    expect(limitsOf({ type: 'array', minItems: 1 })).toEqual(['at least 1 item']);
    expect(limitsOf({ type: 'string', minLength: 1 })).toEqual(['at least 1 char']);
    expect(limitsOf({ type: 'object', default: {} })).toEqual(['default {}']);
  });
});

describe('nestedObjects', () => {
  it('finds the object schemas inside arrays and unions', () => {
    const message = { type: 'object', properties: { role: { type: 'string' } } };
    expect(nestedObjects({ type: 'array', items: message })).toEqual([message]);
    expect(nestedObjects({ anyOf: [{ type: 'string' }, message] })).toEqual([message]);
    expect(nestedObjects({ type: 'string' })).toEqual([]);
  });
});
