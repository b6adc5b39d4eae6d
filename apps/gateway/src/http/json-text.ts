import { vectorJson, vectorsJson } from '@intellicore/llm-core';

/**
 * JSON text of an answer object whose top-level vector fields (`embedding: number[]`,
 * `embeddings: number[][]`) are written from the upstream's own text (core keeps it next to
 * each parsed vector): re-serialising tens of thousands of floats was the largest cost of an
 * embeddings call. Everything else goes through JSON.stringify.
 */
export function answerJson(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return JSON.stringify(value) ?? 'null';
  }
  const record = value as Record<string, unknown>;
  let vectors = false;
  for (const key in record) {
    if (isVectorField(record[key])) {
      vectors = true;
      break;
    }
  }
  if (!vectors) return JSON.stringify(value);
  let out = '{';
  for (const key in record) {
    const field = record[key];
    if (field === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:`;
    out += isVectorField(field) ? vectorFieldJson(field) : JSON.stringify(field);
  }
  return `${out}}`;
}

type VectorField = number[] | number[][];

function isVectorField(field: unknown): field is VectorField {
  if (!Array.isArray(field) || field.length === 0) return false;
  const first: unknown = field[0];
  return typeof first === 'number' || (Array.isArray(first) && typeof first[0] === 'number');
}

function vectorFieldJson(field: VectorField): string {
  return typeof field[0] === 'number'
    ? vectorJson(field as number[])
    : vectorsJson(field as number[][]);
}
