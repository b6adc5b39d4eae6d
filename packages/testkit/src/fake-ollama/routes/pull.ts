import { fakeDigest } from '../deterministic.js';
import { normaliseModelName } from '../models.js';
import { NDJSON, sendGeneration } from '../stream.js';
import type { Route } from './common.js';

/** Names whose last path part starts with this are "not in the registry". */
export const MISSING_MODEL_PREFIX = 'missing';

const TICKS = 4;

/**
 * POST /api/pull (`model`, or `name` as the JS client sends it). Streams Ollama's progress
 * lines (manifest, one layer in 4 ticks, verify, write, success) and adds the model to the list.
 * A name starting with "missing" answers 200, then `pull model manifest: file does not exist`.
 */
export const pullRoute: Route = {
  flavor: 'ollama',
  body: true,
  async handle(ex, body, state) {
    const raw = body.model ?? body.name;
    if (typeof raw !== 'string' || raw === '') return ex.error(400, 'invalid model name');
    const name = normaliseModelName(raw);
    const stream = body.stream !== false;
    const base = name.slice(name.lastIndexOf('/') + 1);
    const manifest = { status: 'pulling manifest' };
    if (base.startsWith(MISSING_MODEL_PREFIX)) {
      return sendGeneration(
        ex,
        {
          chunks: [manifest],
          final: () => ({ error: 'pull model manifest: file does not exist' }),
        },
        stream,
        NDJSON,
        state.chunkDelayMs,
      );
    }
    const existing = state.registry.get(name);
    const hex = existing?.digest ?? fakeDigest(name);
    const total =
      existing?.size ?? 1_000_000_000 + (Number.parseInt(hex.slice(0, 6), 16) % 1_000_000_000);
    const layer = { status: `pulling ${hex.slice(0, 12)}`, digest: `sha256:${hex}`, total };
    const chunks: unknown[] = [manifest, layer];
    for (let i = 1; i <= TICKS; i++)
      chunks.push({ ...layer, completed: Math.round((total * i) / TICKS) });
    chunks.push({ status: 'verifying sha256 digest' }, { status: 'writing manifest' });
    await sendGeneration(
      ex,
      {
        chunks,
        final: () => {
          if (!existing) {
            const family = base.split(':')[0]?.replace(/[\d.]+$/, '') || 'llama';
            state.registry.add({ name, digest: hex, size: total, family });
          }
          return [{ status: 'success' }];
        },
      },
      stream,
      NDJSON,
      state.chunkDelayMs,
    );
  },
};
