import { describe, expect, it } from 'vitest';
import { cosineSimilarity } from './cosine.js';

describe('cosineSimilarity', () => {
  it('is 1 for the same direction, 0 for orthogonal, -1 for opposite vectors', () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1, 0], [0, 5])).toBe(0);
    expect(cosineSimilarity([1, -1], [-1, 1])).toBeCloseTo(-1, 12);
    expect(cosineSimilarity([3, 4], [4, 3])).toBeCloseTo(24 / 25, 12);
  });

  it('refuses vectors of different sizes and gives NaN for a zero vector', () => {
    expect(() => cosineSimilarity([1], [1, 2])).toThrow('vector sizes differ: 1 and 2');
    expect(cosineSimilarity([0, 0], [1, 1])).toBeNaN();
  });
});
