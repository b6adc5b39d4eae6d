import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GATEWAY_ERROR_CODES, HTTP_STATUS_BY_CODE } from '@intellicore/llm-core';
import { describe, expect, it } from 'vitest';
import { TRPC_CODE_BY_GATEWAY_CODE } from '../src/errors.js';

/** The README is part of the product: its quick start, CI and configuration must stay true. */
const repo = (path: string) =>
  readFileSync(fileURLToPath(new URL(`../../../${path}`, import.meta.url)), 'utf8');
const readme = repo('README.md');

describe('README', () => {
  const quickStart = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const lines = quickStart.split('\n').filter((l) => l.trim().length > 0);

  it('has a quick start of exactly two lines', () => {
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/ install && .* start$/);
  });

  it('CI runs exactly the README test command', () => {
    const ci = repo('.ci/run').split('\n');
    expect(ci).toContain(lines[1]);
  });

  it('documents every variable of .env.example', () => {
    const names = [...repo('.env.example').matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(20);
    const missing = names.filter((name) => !readme.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it('its error table lists every code with the status and tRPC code the gateway answers', () => {
    const section = /## Errors\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
    const rows = new Map(
      [...section.matchAll(/^\| `([A-Z_]+)` +\| (\d{3}) +\| `([A-Z_]+)` +\|(.*)\|(.*)\|$/gm)].map(
        (m) => [
          m[1],
          { status: Number(m[2]), trpc: m[3], what: m[4]?.trim(), retry: m[5]?.trim() },
        ],
      ),
    );
    expect([...rows.keys()]).toEqual([...GATEWAY_ERROR_CODES]);
    for (const code of GATEWAY_ERROR_CODES) {
      expect(rows.get(code), code).toMatchObject({
        status: HTTP_STATUS_BY_CODE[code],
        trpc: TRPC_CODE_BY_GATEWAY_CODE[code],
      });
      expect(rows.get(code)?.what, code).not.toBe('');
      expect(rows.get(code)?.retry, code).not.toBe('');
    }
  });
});
