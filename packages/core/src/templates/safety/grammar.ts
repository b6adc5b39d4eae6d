/**
 * The restricted expression language allowed inside the eta tags of a custom template.
 * Everything not listed here is refused by the checker.
 */

/** Pure helpers callable by bare name: name → [min args, max args]. */
export const HELPER_ARITY: Readonly<Record<string, readonly [number, number]>> = {
  join: [1, 2],
  upper: [1, 1],
  lower: [1, 1],
  trim: [1, 1],
  json: [1, 2],
  length: [1, 1],
  defaultTo: [2, 2],
};

export const HELPER_NAMES = Object.keys(HELPER_ARITY);

export const ALLOWED_BINARY = new Set([
  '===',
  '!==',
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '+',
  '-',
  '*',
  '/',
  '%',
]);
export const ALLOWED_LOGICAL = new Set(['&&', '||', '??']);
export const ALLOWED_UNARY = new Set(['!', '-', '+', 'typeof']);

/** Property names never readable, whatever the object: the doors to prototypes and functions. */
export const DENIED_PROPERTIES = new Set([
  'constructor',
  'prototype',
  'caller',
  'callee',
  'arguments',
  'call',
  'apply',
  'bind',
  'valueOf',
  'toString',
  'toLocaleString',
]);

/** Names a loop variable may not take: the data root, helpers, and eta's internals in scope. */
export const RESERVED_NAMES = new Set([
  'it',
  'options',
  'include',
  'includeAsync',
  'layout',
  'output',
  'capture',
  'captureAsync',
  'block',
  'blockAsync',
  'undefined',
  'NaN',
  'Infinity',
  ...HELPER_NAMES,
]);

export const LOOP_VARIABLE_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
