import { RouteError } from '../../errors.js';
import { decodePathSegment, type FrontCall, type FrontDeps, requireMethod } from '../front.js';
import { responses } from '../responses/index.js';
import { chatCompletions } from './chat.js';
import { completions } from './completions.js';
import { embeddings } from './embeddings.js';
import { getModel, listModels } from './models.js';

export { sendOpenAiError } from './errors.js';

/** Routes `/v1/*` (path given without `/v1`). */
export function openAiFront(deps: FrontDeps) {
  return async (call: FrontCall): Promise<void> => {
    const { path } = call;
    const method = call.req.method;
    if (path === '/chat/completions') {
      call.record.route = '/v1/chat/completions';
      requireMethod(method, 'POST');
      return chatCompletions(call, deps);
    }
    if (path === '/responses') {
      call.record.route = '/v1/responses';
      requireMethod(method, 'POST');
      return responses(call, deps);
    }
    if (path === '/completions') {
      call.record.route = '/v1/completions';
      requireMethod(method, 'POST');
      return completions(call, deps);
    }
    if (path === '/embeddings') {
      call.record.route = '/v1/embeddings';
      requireMethod(method, 'POST');
      return embeddings(call, deps);
    }
    if (path === '/models') {
      call.record.route = '/v1/models';
      requireMethod(method, 'GET');
      return listModels(call, deps);
    }
    if (path.startsWith('/models/')) {
      call.record.route = '/v1/models/{id}';
      requireMethod(method, 'GET');
      return getModel(call, deps, decodePathSegment(path.slice('/models/'.length)));
    }
    throw new RouteError(404, `Unknown endpoint /v1${path}`);
  };
}
