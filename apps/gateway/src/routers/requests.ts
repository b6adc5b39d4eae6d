import { getRequest, listRequests, type RequestLogBackend } from '@intellicore/llm-core';
import {
  requestLogEntrySchema,
  requestsGetInputSchema,
  requestsListInputSchema,
  requestsListOutputSchema,
} from '../schemas/index.js';
import { adminProcedure, router } from '../trpc.js';
import { configured, coreContext, type RouterDeps } from './deps.js';

const logOf = (deps: RouterDeps): RequestLogBackend =>
  configured(deps.requestLog, 'The request log is not configured');

/** The request log (admin only: it spans all keys; core refuses a non-admin caller itself). */
export function createRequestsRouter(deps: RouterDeps) {
  return router({
    /** The last requests, newest first, filtered; `nextCursor` pages back. */
    list: adminProcedure
      .input(requestsListInputSchema.optional())
      .output(requestsListOutputSchema)
      .query(({ input, ctx, signal }) => {
        const { since, until, ...rest } = input ?? {};
        const query = {
          ...rest,
          ...(since === undefined ? {} : { since: new Date(since) }),
          ...(until === undefined ? {} : { until: new Date(until) }),
        };
        return listRequests(logOf(deps), query, coreContext(ctx, signal));
      }),
    /** One request with its timeline (and prompt and answer when LOG_PROMPTS kept them). */
    get: adminProcedure
      .input(requestsGetInputSchema)
      .output(requestLogEntrySchema)
      .query(({ input, ctx, signal }) =>
        getRequest(logOf(deps), input.id, coreContext(ctx, signal)),
      ),
  });
}
