import type { IncomingMessage, ServerResponse } from 'node:http';
import { docsAsset } from './docs-assets.js';
import { DOCS_CSP, REDOC_INIT, REDOC_PAGE, SWAGGER_INIT, SWAGGER_PAGE } from './docs-pages.js';
import { buildOpenApiDocument } from './openapi.js';

interface RouterLike {
  _def: { procedures: Record<string, unknown> };
}

/** Paths this handler owns (with their subpaths): the playground never serves them. */
export const API_DOCS_PATHS = ['/openapi.json', '/docs', '/redoc'];

const SCRIPTS: Record<string, string> = {
  'swagger-init.js': SWAGGER_INIT,
  'redoc-init.js': REDOC_INIT,
};

/**
 * `/openapi.json` (built once, on first use), `/docs` (Swagger UI), `/redoc` (ReDoc) and their
 * assets under `/docs/assets/`. Public, like `/docs.json`: they describe the API and grant
 * nothing. Resolves false for any other request.
 */
export function createApiDocsHandler(router: RouterLike, version: string) {
  let openapi: string | undefined;
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (path === '/openapi.json') {
      openapi ??= JSON.stringify(buildOpenApiDocument(router, version), null, 2);
      send(req, res, 'application/json; charset=utf-8', openapi, 'no-cache');
      return true;
    }
    if (path === '/docs' || path === '/redoc') {
      const html = path === '/docs' ? SWAGGER_PAGE : REDOC_PAGE;
      res.setHeader('content-security-policy', DOCS_CSP);
      res.setHeader('x-frame-options', 'DENY');
      res.setHeader('referrer-policy', 'no-referrer');
      send(req, res, 'text/html; charset=utf-8', html, 'no-cache');
      return true;
    }
    if (path === '/docs/' || path === '/redoc/') {
      res.writeHead(308, { location: path.slice(0, -1), 'content-length': 0 });
      res.end();
      return true;
    }
    if (!path.startsWith('/docs/assets/')) return false;
    const name = path.slice('/docs/assets/'.length);
    const script = SCRIPTS[name];
    if (script !== undefined) {
      send(req, res, 'text/javascript; charset=utf-8', script, 'no-cache');
      return true;
    }
    const asset = docsAsset(name);
    if (!asset) return false;
    const { body, type } = await asset;
    send(req, res, type, body, 'public, max-age=86400');
    return true;
  };
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  type: string,
  body: string | Buffer,
  cache: string,
): void {
  res.writeHead(200, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': cache,
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
