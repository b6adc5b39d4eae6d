import { RouteError } from '../../errors.js';
import { type FrontCall, type FrontDeps, requireMethod } from '../front.js';
import { embed, legacyEmbeddings } from './embed.js';
import { chat, generate } from './generation.js';
import { ps, pull, remove, show, tags, version } from './models.js';

export { sendOllamaError } from './errors.js';

type Route = [method: string, handler: (call: FrontCall, deps: FrontDeps) => Promise<void>];

const ROUTES: Record<string, Route> = {
  '/chat': ['POST', chat],
  '/generate': ['POST', generate],
  '/embed': ['POST', embed],
  '/embeddings': ['POST', legacyEmbeddings],
  '/tags': ['GET', tags],
  '/show': ['POST', show],
  '/ps': ['GET', ps],
  '/version': ['GET', version],
  '/pull': ['POST', pull],
  '/delete': ['DELETE', remove],
};

/** Routes `/api/*` (path given without `/api`). */
export function ollamaFront(deps: FrontDeps) {
  return async (call: FrontCall): Promise<void> => {
    const route = ROUTES[call.path];
    if (!route) throw new RouteError(404, `Unknown endpoint /api${call.path}`);
    call.record.route = `/api${call.path}`;
    const [method, handler] = route;
    // Ollama answers HEAD on its GET routes too.
    requireMethod(call.req.method === 'HEAD' && method === 'GET' ? 'GET' : call.req.method, method);
    return handler(call, deps);
  };
}
