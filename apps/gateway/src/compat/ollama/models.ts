import { readJsonBody } from '../../http/body.js';
import { sendJson } from '../../http/respond.js';
import type { FrontCall, FrontDeps } from '../front.js';
import { parseBody } from '../validate.js';
import { streamNdjson } from './ndjson.js';
import { modelRefBodySchema } from './schemas.js';
import { wireDetails, wireModel } from './wire.js';

/** Version reported by /api/version when no upstream told us one (clients gate features on it). */
export const OLLAMA_COMPAT_VERSION = '0.12.0';

/** GET /api/tags */
export async function tags(call: FrontCall, deps: FrontDeps): Promise<void> {
  const models = await deps.service.listModels(call.context('ollama'));
  sendJson(call.res, 200, { models: models.map(wireModel) });
}

/** GET /api/ps */
export async function ps(call: FrontCall, deps: FrontDeps): Promise<void> {
  const models = await deps.service.runningModels(call.context('ollama'));
  sendJson(call.res, 200, {
    models: models.map((m) => ({
      ...wireModel(m),
      expires_at: m.expiresAt ?? new Date(0).toISOString(),
      size_vram: m.sizeVram ?? 0,
      context_length: m.contextLength ?? 0,
    })),
  });
}

/** POST /api/show */
export async function show(call: FrontCall, deps: FrontDeps): Promise<void> {
  const { name } = parseBody(modelRefBodySchema, await readJsonBody(call.req, deps.maxBodyBytes));
  call.record.model = name;
  const s = await deps.service.showModel(name, call.context('ollama'));
  const out: Record<string, unknown> = {
    license: s.license ?? '',
    modelfile: s.modelfile ?? '',
    parameters: s.parameters ?? '',
    template: s.template ?? '',
    details: wireDetails(s.details),
    model_info: s.modelInfo ?? {},
  };
  if (s.capabilities) out.capabilities = s.capabilities;
  if (s.modifiedAt) out.modified_at = s.modifiedAt;
  sendJson(call.res, 200, out);
}

/** GET /api/version — the first healthy Ollama upstream's version, else a compatible one. */
export async function version(call: FrontCall, deps: FrontDeps): Promise<void> {
  const report = await deps.service.health().catch(() => undefined);
  const upstream = report?.upstreams.find((u) => u.healthy && u.kind === 'ollama' && u.version);
  sendJson(call.res, 200, { version: upstream?.version ?? OLLAMA_COMPAT_VERSION });
}

/** POST /api/pull (admin: core refuses other keys) — NDJSON progress; `stream: false` answers
 * the last object. */
export async function pull(call: FrontCall, deps: FrontDeps): Promise<void> {
  const ref = parseBody(modelRefBodySchema, await readJsonBody(call.req, deps.maxBodyBytes));
  call.record.model = ref.name;
  const progress = deps.service.pullModel(ref.name, call.context('ollama'));
  const line = (p: { status: string; digest?: string; total?: number; completed?: number }) => {
    const out: Record<string, unknown> = { status: p.status };
    if (p.digest !== undefined) out.digest = p.digest;
    if (p.total !== undefined) out.total = p.total;
    if (p.completed !== undefined) out.completed = p.completed;
    return out;
  };
  if (ref.stream === false) {
    let last: Record<string, unknown> = { status: 'success' };
    for await (const p of progress) last = line(p);
    sendJson(call.res, 200, last);
    return;
  }
  await streamNdjson(call, deps, progress, line);
}

/** DELETE /api/delete (admin: core refuses other keys) — 200 with an empty body, as Ollama. */
export async function remove(call: FrontCall, deps: FrontDeps): Promise<void> {
  const { name } = parseBody(modelRefBodySchema, await readJsonBody(call.req, deps.maxBodyBytes));
  call.record.model = name;
  await deps.service.deleteModel(name, call.context('ollama'));
  call.res.writeHead(200, { 'content-length': '0' });
  call.res.end();
}
