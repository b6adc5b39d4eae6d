import { chatRoute } from './chat.js';
import type { Route } from './common.js';
import { embeddingsRoute, embedRoute } from './embed.js';
import { generateRoute } from './generate.js';
import {
  copyRoute,
  deleteRoute,
  psRoute,
  rootRoute,
  showRoute,
  tagsRoute,
  versionRoute,
} from './models.js';
import { openAiChatRoute } from './openai-chat.js';
import { openAiEmbeddingsRoute, openAiModelRoute, openAiModelsRoute } from './openai-models.js';
import { pullRoute } from './pull.js';

/** `METHOD path` → route. HEAD is answered by the GET route (Node drops the body). */
const ROUTES = new Map<string, Route>([
  ['GET /', rootRoute],
  ['POST /api/chat', chatRoute],
  ['POST /api/generate', generateRoute],
  ['POST /api/embed', embedRoute],
  ['POST /api/embeddings', embeddingsRoute],
  ['GET /api/tags', tagsRoute],
  ['POST /api/show', showRoute],
  ['POST /api/pull', pullRoute],
  ['DELETE /api/delete', deleteRoute],
  ['POST /api/copy', copyRoute],
  ['GET /api/ps', psRoute],
  ['GET /api/version', versionRoute],
  ['POST /v1/chat/completions', openAiChatRoute],
  ['POST /v1/embeddings', openAiEmbeddingsRoute],
  ['GET /v1/models', openAiModelsRoute],
]);

export function findRoute(method: string, path: string): Route | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  const route = ROUTES.get(`${m} ${path}`);
  if (route) return route;
  if (m === 'GET' && path.startsWith('/v1/models/') && path.length > 11) {
    return openAiModelRoute(decodeURIComponent(path.slice(11)));
  }
  return undefined;
}
