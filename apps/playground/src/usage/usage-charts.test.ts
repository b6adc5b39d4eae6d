import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BarChart } from './bar-chart.js';
import { fillDays } from './days.js';
import { TimeChart } from './time-chart.js';
import type { UsageRow } from './use-usage.js';

const row = (group: string, totalTokens: number): UsageRow => ({
  group,
  requests: 1,
  promptTokens: totalTokens,
  completionTokens: 0,
  totalTokens,
  cachedRequests: 0,
  errorRequests: 0,
  avgDurationMs: 1,
  avgTtftMs: null,
});

describe('usage charts', () => {
  it('fills every day of the range, zero where there was no traffic', () => {
    const days = fillDays(
      [row('2026-01-02', 50)],
      new Date('2026-01-01T00:00:00Z'),
      new Date('2026-01-04T00:00:00Z'),
    );
    expect(days.map((d) => [d.day, d.row?.totalTokens ?? 0])).toEqual([
      ['2026-01-01', 0],
      ['2026-01-02', 50],
      ['2026-01-03', 0],
    ]);
  });

  it('draws one bar per group, scaled to the largest, and names every value for screen readers', () => {
    const html = renderToStaticMarkup(
      createElement(BarChart, {
        title: 'Tokens per model',
        unit: 'tokens',
        bars: [
          { label: 'llama3.2', value: 300 },
          { label: 'mistral', value: 150 },
        ],
      }),
    );
    expect(html).toContain(
      'aria-label="Tokens per model: llama3.2 300 tokens, mistral 150 tokens"',
    );
    const widths = [...html.matchAll(/<rect[^>]* width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(2);
    expect(widths[0]).toBeCloseTo((widths[1] ?? 0) * 2);
  });

  it('draws a bar per day and says so when a range has no data', () => {
    const html = renderToStaticMarkup(
      createElement(TimeChart, {
        title: 'Requests per day',
        unit: 'requests',
        points: [
          { day: '2026-01-01', value: 0 },
          { day: '2026-01-02', value: 4 },
        ],
      }),
    );
    expect(html.match(/<rect/g)).toHaveLength(2);
    expect(html).toContain('2026-01-02: 4 requests');
    const empty = renderToStaticMarkup(
      createElement(BarChart, { title: 'Tokens per key', unit: 'tokens', bars: [] }),
    );
    expect(empty).toContain('no data in this range');
  });
});
