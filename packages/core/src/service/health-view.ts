/**
 * What a caller may see of the health report. Readiness probes come without a key: they learn
 * whether the gateway is ready and nothing else. Ordinary keys also see each upstream by name
 * with its health and load; where upstreams run (URLs), their versions, their last error text and
 * the store's error are for admin keys only (they map the network and the software behind it).
 */
import type { Caller } from './context.js';
import type { HealthReport, UpstreamHealth } from './gateway-service.js';

export interface HealthView {
  ready: boolean;
  /** Absent for anonymous viewers. */
  upstreams?: UpstreamHealth[];
  /** Absent for anonymous viewers; `error` for admin viewers only. */
  store?: { ok: boolean; error?: string };
}

/** `viewer` null: the request carried no valid key (keys are configured). */
export function healthView(report: HealthReport, viewer: Caller | null): HealthView {
  if (!viewer) return { ready: report.ready };
  if (viewer.admin) return report;
  return {
    ready: report.ready,
    upstreams: report.upstreams.map(({ url: _url, version: _v, lastError: _e, ...rest }) => rest),
    store: { ok: report.store.ok },
  };
}
