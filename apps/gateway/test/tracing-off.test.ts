import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { startTracing, tracingWanted } from '../src/observability/tracing.js';

/** Tracing is off unless the standard OTEL_* variables ask for it, and then costs no module. */
describe('tracing off', () => {
  it('is wanted only when OTEL_* asks for it', () => {
    expect(tracingWanted({})).toBe(false);
    expect(tracingWanted({ OTEL_SERVICE_NAME: 'x' })).toBe(false);
    expect(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBe(true);
    expect(tracingWanted({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' })).toBe(
      true,
    );
    expect(tracingWanted({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
    expect(
      tracingWanted({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c' }),
    ).toBe(false);
    expect(
      tracingWanted({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c' }),
    ).toBe(false);
  });

  it('starts nothing when off', async () => {
    expect(await startTracing(pino({ level: 'silent' }), {})).toBeUndefined();
  });

  it('loads OpenTelemetry only through dynamic imports (type-only imports elsewhere)', () => {
    const src = fileURLToPath(new URL('../src', import.meta.url));
    const files = (readdirSync(src, { recursive: true }) as string[]).filter((f) =>
      f.endsWith('.ts'),
    );
    const staticImports = files.filter((f) =>
      /^import (?!type )[^;]*from '@opentelemetry\//m.test(readFileSync(join(src, f), 'utf8')),
    );
    expect(staticImports).toEqual([]);
    const tracing = readFileSync(join(src, 'observability/tracing.ts'), 'utf8');
    expect(tracing).toContain("import('@opentelemetry/sdk-trace-base')");
  });
});
