import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const app = fileURLToPath(new URL('..', import.meta.url));

/** Newest modification time of the playground's build inputs. */
function newestInput(): number {
  const inputs = ['index.html', 'vite.config.ts', 'package.json'].map((f) => join(app, f));
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else inputs.push(path);
    }
  };
  walk(join(app, 'src'));
  walk(fileURLToPath(new URL('../../../packages/client/src', import.meta.url)));
  return Math.max(...inputs.map((f) => statSync(f).mtimeMs));
}

function builtAt(): number {
  try {
    return statSync(join(app, 'dist', 'index.html')).mtimeMs;
  } catch {
    return 0;
  }
}

/** Builds the playground once per run (vite build, ~5 s) unless dist is newer than its inputs. */
export default function setup(): void {
  if (builtAt() > newestInput()) return;
  execFileSync(process.execPath, [join(app, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
    cwd: app,
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 120_000,
  });
}
