import { createReadStream, existsSync, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

/**
 * Serves the built playground (PLAYGROUND_DIR) at `/`: files as they are, every other page path
 * answered with index.html (the SPA routes itself). Paths of the API surfaces are never served
 * from here, so a file can never shadow them. Returns false when it does not answer.
 */
export type PlaygroundHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** Paths owned by the gateway's other surfaces (and their subpaths). */
const RESERVED = [
  '/trpc',
  '/v1',
  '/api',
  '/healthz',
  '/readyz',
  '/metrics',
  '/docs.json',
  '/openapi.json',
  '/docs',
  '/redoc',
];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** Vite writes content-hashed names under assets/: cacheable forever; the rest revalidates. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

export function isReservedPath(path: string): boolean {
  return RESERVED.some((p) => path === p || path.startsWith(`${p}/`));
}

/** A handler for `dir`, or undefined when there is no built playground there (index.html). */
export function createPlaygroundHandler(dir: string | undefined): PlaygroundHandler | undefined {
  if (!dir || !existsSync(resolve(dir, 'index.html'))) return undefined;
  const root = resolve(dir);
  let realRoot: string | undefined;

  /** The file a URL path names inside root, or undefined (traversal, dotfiles, bad escapes). */
  async function locate(urlPath: string): Promise<{ file: string; stats: Stats } | undefined> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return undefined;
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
    const segments = decoded.split('/').filter(Boolean);
    if (segments.some((s) => s.startsWith('.'))) return undefined; // also rules out `..`
    const file = resolve(root, ...segments);
    if (file !== root && !file.startsWith(root + sep)) return undefined;
    try {
      const stats = await stat(file);
      if (!stats.isFile()) return undefined;
      realRoot ??= await realpath(root);
      const real = await realpath(file); // a symlink must not lead out of the root
      if (!real.startsWith(realRoot + sep)) return undefined;
      return { file: real, stats };
    } catch {
      return undefined;
    }
  }

  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (isReservedPath(path)) return false;
    let found = path === '/' ? undefined : await locate(path);
    if (!found) {
      // Page paths get the app; a missing file of a known type (a stale asset) stays a 404.
      if (CONTENT_TYPES[extname(path).toLowerCase()] && path !== '/index.html') return false;
      found = await locate('/index.html');
      if (!found) return false;
    }
    await send(req, res, found.file, found.stats, path.startsWith('/assets/'));
    return true;
  };
}

async function send(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  stats: Stats,
  immutable: boolean,
): Promise<void> {
  const etag = `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
  const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const headers: Record<string, string | number> = {
    'content-type': type,
    'cache-control': immutable ? IMMUTABLE : REVALIDATE,
    etag,
    'last-modified': stats.mtime.toUTCString(),
    'x-content-type-options': 'nosniff',
  };
  if (type.startsWith('text/html')) {
    headers['x-frame-options'] = 'DENY';
    headers['referrer-policy'] = 'no-referrer';
  }
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': stats.size });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  try {
    await pipeline(createReadStream(file), res);
  } catch {
    res.destroy(); // the client went away or the file vanished mid-read
  }
}
