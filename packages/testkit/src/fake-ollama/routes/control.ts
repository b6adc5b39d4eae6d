import type { Exchange } from '../exchange.js';
import type { FakeModel, Fault } from '../types.js';
import type { FakeState } from './common.js';

export const CONTROL_PREFIX = '/__control/';

/**
 * The control endpoint, for suites that drive the fake from another process (gateway e2e,
 * bench): POST/GET/DELETE /__control/faults, GET/DELETE /__control/journal,
 * PUT /__control/models (FakeModel[]), PUT /__control/loaded (string[] or {names}).
 */
export function handleControl(
  ex: Exchange,
  method: string,
  path: string,
  body: unknown,
  state: FakeState,
) {
  const route = `${method} ${path.slice(CONTROL_PREFIX.length)}`;
  switch (route) {
    case 'POST faults': {
      if (!isObject(body)) return ex.error(400, 'body must be a Fault object');
      return ex.json(200, { id: state.faults.set(body as Fault) });
    }
    case 'GET faults':
      return ex.json(200, state.faults.list());
    case 'DELETE faults':
      state.faults.clear();
      return ex.empty(204);
    case 'GET journal':
      return ex.json(200, state.journal.entries());
    case 'DELETE journal':
      state.journal.clear();
      return ex.empty(204);
    case 'PUT models': {
      if (!Array.isArray(body) || !body.every((m) => isObject(m) && typeof m.name === 'string')) {
        return ex.error(400, 'body must be an array of {name, …} models');
      }
      state.registry.setModels(body as FakeModel[]);
      return ex.empty(204);
    }
    case 'PUT loaded': {
      const names = Array.isArray(body) ? body : isObject(body) ? body.names : undefined;
      if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
        return ex.error(400, 'body must be a list of model names');
      }
      state.registry.setLoaded(names);
      return ex.empty(204);
    }
    default:
      return ex.send(404, 'text/plain; charset=utf-8', '404 page not found');
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
