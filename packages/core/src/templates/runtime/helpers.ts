import type { RenderBudget } from './budget.js';

/**
 * The pure helpers a template may call. Each one checks its input type and the size of what it
 * builds against the render budget before building it, so no helper can blow up memory.
 */
export type TemplateHelpers = Record<string, (...args: unknown[]) => unknown>;

/** How a value reads in a prompt: text as is, null/undefined as nothing, data as JSON. */
export function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

export function createHelpers(budget: RenderBudget): TemplateHelpers {
  return {
    join(list: unknown, separator: unknown = ', ') {
      if (!Array.isArray(list)) return toText(list);
      const sep = toText(separator);
      const parts = list.map(toText);
      const size =
        parts.reduce((n, p) => n + p.length, 0) + sep.length * Math.max(parts.length - 1, 0);
      budget.checkOutput(size);
      return parts.join(sep);
    },
    upper: (value: unknown) => toText(value).toUpperCase(),
    lower: (value: unknown) => toText(value).toLowerCase(),
    trim: (value: unknown) => toText(value).trim(),
    json(value: unknown, indent: unknown = 0) {
      const spaces = typeof indent === 'number' ? Math.min(Math.max(Math.trunc(indent), 0), 4) : 0;
      const text = JSON.stringify(value ?? null, null, spaces) ?? 'null';
      budget.checkOutput(text.length);
      return text;
    },
    length(value: unknown) {
      if (typeof value === 'string' || Array.isArray(value)) return value.length;
      if (value !== null && typeof value === 'object') return Object.keys(value).length;
      return 0;
    },
    defaultTo: (value: unknown, fallback: unknown) =>
      value === undefined || value === null || value === '' ? fallback : value,
  };
}
