import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseJsonBody, readBody } from './body.js';
import { Exchange, errorBody } from './exchange.js';
import { Faults } from './faults.js';
import { allowedHost } from './host-check.js';
import { Journal } from './journal.js';
import { DEFAULT_FAKE_MODELS, ModelRegistry } from './models.js';
import type { Body, FakeState } from './routes/common.js';
import { CONTROL_PREFIX, handleControl } from './routes/control.js';
import { findRoute } from './routes/index.js';
import type { FakeOllama, FakeOllamaOptions } from './types.js';

export const QUEUE_FULL_MESSAGE =
  'server busy, please try again.  maximum pending requests exceeded';
export const DEFAULT_FAKE_VERSION = '0.12.3';

/** Starts a fake Ollama on 127.0.0.1 (a free port unless `port` is given). */
export async function startFakeOllama(opts: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const journal = new Journal(opts.journalLimit ?? 10_000, opts.journal !== false);
  const state: FakeState = {
    registry: new ModelRegistry(opts.models ?? DEFAULT_FAKE_MODELS),
    faults: new Faults(),
    journal,
    version: opts.version ?? DEFAULT_FAKE_VERSION,
    chunkDelayMs: opts.chunkDelayMs ?? 0,
    hostCheck: opts.hostCheck !== false,
    maxQueue: opts.maxQueue,
    stats: { requests: 0, inFlight: 0, maxInFlight: 0 },
    inferenceInFlight: 0,
  };
  const live = new Set<Exchange>();

  const server = createServer({ requestTimeout: 0 }, (req, res) => {
    void handle(req, res, state, live);
  });
  // Generous keep-alive so that benchmarks reuse connections, as they would with Ollama.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Benchmarks open thousands of streams at once: a deep accept queue, as Ollama's Go server has.
    server.listen({ port: opts.port ?? 0, host, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    faults: state.faults,
    journal,
    setModels: (models) => state.registry.setModels(models),
    setLoaded: (names) => state.registry.setLoaded(names),
    stats: () => ({ ...state.stats }),
    resetStats() {
      state.stats.requests = 0;
      state.stats.maxInFlight = state.stats.inFlight;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const ex of live) ex.abortByServer();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  state: FakeState,
  live: Set<Exchange>,
) {
  const method = req.method ?? 'GET';
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const control = path.startsWith(CONTROL_PREFIX);
  const entry = state.journal.open(method, path, req.headers, !control);
  const ex = new Exchange(req, res, entry, state.journal);
  live.add(ex);
  res.once('close', () => live.delete(ex));
  if (!control) countRequest(res, state);
  try {
    if (control) {
      const text = await readBody(req);
      let parsed: unknown;
      try {
        parsed = text.trim() === '' ? undefined : JSON.parse(text);
      } catch {
        return ex.error(400, 'control body is not JSON');
      }
      return handleControl(ex, method, path, parsed, state);
    }
    if (state.hostCheck && !allowedHost(req.headers.host)) {
      req.resume();
      return ex.empty(403);
    }
    const route = findRoute(method, path);
    if (!route) {
      req.resume();
      return ex.send(404, 'text/plain; charset=utf-8', '404 page not found');
    }
    ex.flavor = route.flavor;
    if (route.inference) {
      if (state.maxQueue !== undefined && state.inferenceInFlight >= state.maxQueue) {
        req.resume();
        return ex.error(503, QUEUE_FULL_MESSAGE);
      }
      state.inferenceInFlight++;
      res.once('close', () => state.inferenceInFlight--);
    }
    let body: Body = {};
    if (route.body) {
      const parsed = parseJsonBody(await readBody(req));
      if (!parsed.ok) {
        entry.body = parsed.raw;
        state.journal.touch(entry);
        return ex.error(400, parsed.message);
      }
      body = parsed.body;
      entry.body = body;
      const model = body.model ?? body.name;
      if (typeof model === 'string') entry.model = model;
      state.journal.touch(entry);
    } else {
      req.resume();
    }
    ex.fault = state.faults.match(path, entry.model, body);
    if (ex.fault && !(await applyHeaderFaults(ex))) return;
    await route.handle(ex, body, state);
  } catch (err) {
    if (ex.closed) return;
    if (res.headersSent) ex.drop();
    else ex.error(500, err instanceof Error ? err.message : String(err));
  }
}

function countRequest(res: ServerResponse, state: FakeState): void {
  const { stats } = state;
  stats.requests++;
  stats.inFlight++;
  if (stats.inFlight > stats.maxInFlight) stats.maxInFlight = stats.inFlight;
  res.once('close', () => stats.inFlight--);
}

/** The faults that act before the status line; false when the response is already decided. */
async function applyHeaderFaults(ex: Exchange): Promise<boolean> {
  const f = ex.fault;
  if (!f) return true;
  if (f.delayBeforeHeadersMs && !(await ex.sleep(f.delayBeforeHeadersMs))) return false;
  if (f.neverAnswer) {
    await ex.hang();
    return false;
  }
  if (f.resetConnection) {
    ex.reset();
    return false;
  }
  if (f.queueFull) {
    ex.error(503, QUEUE_FULL_MESSAGE);
    return false;
  }
  if (f.failStatus !== undefined) {
    const { failStatus: status, failBody } = f;
    if (typeof failBody === 'string') ex.send(status, 'text/plain; charset=utf-8', failBody);
    else ex.json(status, failBody ?? errorBody(ex.flavor, status, 'fake failure'));
    return false;
  }
  return true;
}
