import { describe, expect, it } from 'vitest';
import { parseEmbedResponse, vectorJson, vectorsJson } from '../src/embeddings/raw-vectors.js';

type Answer = { model: string; embeddings: number[][] };

describe('raw embedding vectors', () => {
  it("writes back the upstream's own text of each vector", () => {
    // Text a float32 upstream writes, which JSON.stringify of the parsed doubles would not.
    const text = '{"model":"m","embeddings":[[0.1,-2e-7,3],[1.5E+2,0]],"total_duration":5}';
    const answer = parseEmbedResponse(text) as Answer;
    expect(answer.embeddings).toEqual([
      [0.1, -2e-7, 3],
      [150, 0],
    ]);
    expect(vectorJson(answer.embeddings[1] as number[])).toBe('[1.5E+2,0]');
    expect(vectorsJson(answer.embeddings)).toBe('[[0.1,-2e-7,3],[1.5E+2,0]]');
    expect(JSON.parse(vectorsJson(answer.embeddings))).toEqual(answer.embeddings);
  });

  it('falls back to JSON.stringify for other layouts, copies and a key inside a string', () => {
    const spaced = parseEmbedResponse('{"embeddings": [ [1.0, 2.0] ]}') as Answer;
    expect(vectorsJson(spaced.embeddings)).toBe('[[1,2]]');
    const tricky = parseEmbedResponse(
      '{"model":"x\\"embeddings\\":[[9]]","embeddings":[[1.50]]}',
    ) as Answer;
    expect(vectorsJson(tricky.embeddings)).toBe('[[1.50]]');
    expect(vectorJson([...(tricky.embeddings[0] as number[])])).toBe('[1.5]');
  });
});
