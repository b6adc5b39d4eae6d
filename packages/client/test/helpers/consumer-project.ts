import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientRoot, distDir, repoRoot } from './built-client.js';

/**
 * A fresh consumer project with only the built client installed (dist + package.json) and the
 * packages a consumer installs beside it: no gateway, no core, no zod.
 */
export interface ConsumerProject {
  dir: string;
  write(file: string, text: string): void;
  /** tsc diagnostics grouped by file (continuation lines stay with their error). */
  typecheck(): Map<string, string>;
  remove(): void;
}

export function createConsumerProject(
  tsconfig: object,
  extraDependencies: readonly string[] = [],
): ConsumerProject {
  const dir = mkdtempSync(join(tmpdir(), 'llm-client-consumer-'));
  const pkgDir = join(dir, 'node_modules', '@intellicore', 'llm-client');
  mkdirSync(pkgDir, { recursive: true });
  cpSync(join(clientRoot, 'package.json'), join(pkgDir, 'package.json'));
  cpSync(distDir, join(pkgDir, 'dist'), { recursive: true });
  for (const name of ['@trpc/client', '@trpc/server', ...extraDependencies]) {
    const local = join(clientRoot, 'node_modules', name);
    const target = realpathSync(existsSync(local) ? local : join(repoRoot, 'node_modules', name));
    mkdirSync(join(dir, 'node_modules', name, '..'), { recursive: true });
    symlinkSync(target, join(dir, 'node_modules', name), 'dir');
  }
  const write = (file: string, text: string) => writeFileSync(join(dir, file), text);
  write('package.json', JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  write('tsconfig.json', JSON.stringify(tsconfig, null, 2));
  return {
    dir,
    write,
    typecheck() {
      const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
      let output = '';
      try {
        execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], {
          cwd: dir,
          encoding: 'utf8',
          stdio: 'pipe',
        });
      } catch (error) {
        output = String((error as { stdout?: string }).stdout ?? '');
      }
      const byFile = new Map<string, string>();
      let current = '';
      for (const line of output.split('\n')) {
        const m = /^([^\s(]+)\(\d+,\d+\): error/.exec(line);
        if (m) current = m[1] as string;
        if (current) byFile.set(current, `${byFile.get(current) ?? ''}${line}\n`);
      }
      return byFile;
    },
    remove() {
      if (!process.env.KEEP_CONSUMER) rmSync(dir, { recursive: true, force: true });
    },
  };
}
