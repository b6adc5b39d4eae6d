import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuiltClient } from './helpers/built-client.js';
import { RIGHT } from './helpers/consumer-code.js';
import { type ConsumerProject, createConsumerProject } from './helpers/consumer-project.js';

/**
 * The configurations people start from, each with the SDK's right calls: they must compile as
 * they are. The one that cannot — skipLibCheck off with a lib older than `Disposable` — fails
 * only inside @trpc/server's own declarations, as the README says.
 */
const PRESETS: Array<{ name: string; tsconfig: object; dependencies?: string[] }> = [
  {
    name: '@tsconfig/node20 (a Node service)',
    tsconfig: {
      extends: '@tsconfig/node20/tsconfig.json',
      compilerOptions: { noEmit: true },
      include: ['*.ts'],
    },
    dependencies: ['@tsconfig/node20', '@types/node'],
  },
  {
    name: '@tsconfig/vite-react (a Vite app)',
    tsconfig: {
      extends: '@tsconfig/vite-react/tsconfig.json',
      // vite/client types come with Vite itself, which this project does not install.
      compilerOptions: { types: [], noEmit: true, tsBuildInfoFile: null },
      include: ['*.ts'],
    },
    dependencies: ['@tsconfig/vite-react'],
  },
  {
    name: '@tsconfig/strictest (exactOptionalPropertyTypes, noUncheckedIndexedAccess, …)',
    tsconfig: {
      extends: '@tsconfig/strictest/tsconfig.json',
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2023', 'DOM'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        types: [],
        noEmit: true,
      },
      include: ['*.ts'],
    },
    dependencies: ['@tsconfig/strictest'],
  },
];

describe('the SDK in the tsconfig presets people start from', () => {
  const projects: ConsumerProject[] = [];
  beforeAll(() => ensureBuiltClient(), 240_000);
  afterAll(() => {
    for (const project of projects) project.remove();
  });

  it.each(PRESETS)(
    '$name: the right calls compile',
    ({ tsconfig, dependencies }) => {
      const project = createConsumerProject(tsconfig, dependencies);
      projects.push(project);
      project.write('right.ts', RIGHT);
      const diagnostics = project.typecheck();
      expect([...diagnostics.values()].join('')).toBe('');
    },
    120_000,
  );

  it('skipLibCheck off with lib ES2023 alone: only @trpc/server declarations miss Disposable', () => {
    const project = createConsumerProject({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2023', 'DOM'],
        types: [],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
      },
      include: ['*.ts'],
    });
    projects.push(project);
    project.write('right.ts', RIGHT);
    const diagnostics = project.typecheck();
    const files = [...diagnostics.keys()];
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file).toMatch(/node_modules\/@trpc\/server\//);
    expect([...diagnostics.values()].join('')).toMatch(/Disposable/);
  }, 120_000);
});
