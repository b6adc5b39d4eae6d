import { badRequest } from '@intellicore/llm-core';
import { RouteError } from '../errors.js';
import { pathParams, REST_ROUTES, type RestRoute } from './routes.js';

export interface RouteMatch {
  route: RestRoute;
  /** Path parameters, percent-decoded. */
  params: Record<string, string>;
}

interface CompiledRoute {
  route: RestRoute;
  pattern: RegExp;
  names: string[];
}

function compile(route: RestRoute): CompiledRoute {
  const names = pathParams(route.path);
  let source = route.path.replace(/[.*+?^${}()|[\]\\]/g, (c) =>
    c === '{' || c === '}' ? c : `\\${c}`,
  );
  names.forEach((name, index) => {
    const last = index === names.length - 1;
    source = source.replace(`{${name}}`, route.greedy && last ? '(.+)' : '([^/]+)');
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
}

const COMPILED = REST_ROUTES.map(compile);

/**
 * The route for a method and path, in table order. A path that some route serves with another
 * method is METHOD_NOT_ALLOWED (405, with the methods it takes); any other is NOT_FOUND (404).
 */
export function matchRoute(method: string, path: string): RouteMatch {
  const allowed = new Set<string>();
  for (const { route, pattern, names } of COMPILED) {
    const found = pattern.exec(path);
    if (!found) continue;
    if (route.method !== method) {
      allowed.add(route.method);
      continue;
    }
    const params: Record<string, string> = {};
    names.forEach((name, index) => {
      params[name] = decodeParam(found[index + 1] ?? '', name);
    });
    return { route, params };
  }
  if (allowed.size > 0) {
    throw new MethodNotAllowed(`${method} is not allowed on ${path}`, [...allowed]);
  }
  throw new RouteError(404, `Not found: ${path} (the REST API is described at /openapi.json)`);
}

/** A 405 that knows which methods the path takes (the `Allow` header). */
export class MethodNotAllowed extends RouteError {
  constructor(
    message: string,
    readonly allow: string[],
  ) {
    super(405, message);
  }
}

function decodeParam(raw: string, name: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw badRequest([{ path: name, message: `is not valid percent-encoding: ${raw}` }]);
  }
}
