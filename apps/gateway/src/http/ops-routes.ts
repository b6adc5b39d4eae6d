import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayService } from '@intellicore/llm-core';
import { ApiKeyAuth } from '../auth.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { RequestRecord } from '../observability/request-record.js';
import { readiness } from '../routers/readiness.js';
import type { GatewayState } from '../state.js';
import { sendJson } from './respond.js';

export type OpsHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  record: RequestRecord,
) => Promise<void>;

export interface OpsRoutesOptions {
  service: GatewayService;
  state: GatewayState;
  metrics: GatewayMetrics;
  auth: ApiKeyAuth;
  /** METRICS_API_KEY: when set, /metrics needs it (or an admin key). */
  metricsApiKey: string | null | undefined;
}

/**
 * The operator's paths: `/healthz` (liveness, open), `/readyz` (open; details for admin keys
 * only) and `/metrics` (open unless METRICS_API_KEY is set; then that key or an admin key).
 */
export function createOpsRoutes(options: OpsRoutesOptions): Record<string, OpsHandler> {
  const { service, state, metrics, auth } = options;
  /** The caller of a valid key, or null (no key, or a wrong one: probes need none). */
  const callerOf = (header: string | undefined) => {
    const result = auth.authenticate(header);
    return result.ok ? result.caller : null;
  };
  const metricsKey = options.metricsApiKey
    ? new ApiKeyAuth([], [options.metricsApiKey])
    : undefined;
  const mayReadMetrics = (header: string | undefined) =>
    !metricsKey || metricsKey.authenticate(header).ok || callerOf(header)?.admin === true;

  return {
    '/healthz': async (_req, res) =>
      sendJson(res, 200, {
        status: 'ok',
        version: state.version,
        authRequired: state.authRequired,
      }),
    '/readyz': async (req, res) => {
      const report = await readiness({ service, state }, callerOf(req.headers.authorization));
      sendJson(res, report.ready ? 200 : 503, report);
    },
    '/metrics': async (req, res, record) => {
      if (!mayReadMetrics(req.headers.authorization)) {
        record.code = 'UNAUTHORIZED';
        res.setHeader('www-authenticate', 'Bearer realm="metrics"');
        sendJson(res, 401, { error: 'Missing or invalid metrics key (METRICS_API_KEY)' });
        return;
      }
      const { contentType, body } = await metrics.render();
      res.writeHead(200, { 'content-type': contentType });
      res.end(body);
    },
  };
}
