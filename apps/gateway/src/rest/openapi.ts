import { buildApiReference, type ProcedureDoc } from '../playground/docs.js';
import { camel, clean, pascal, ref, type Schemas } from './openapi-names.js';
import { responses } from './openapi-responses.js';
import { ERROR_BODY_SCHEMA, OPENAPI_INFO, TAGS } from './openapi-text.js';
import { pathParams, REST_ROUTES, type RestRoute } from './routes.js';
import { type JsonSchema, objectSchema } from './schemas.js';

interface RouterLike {
  _def: { procedures: Record<string, unknown> };
}

/**
 * The OpenAPI 3.1 document of `/api/v1`, built from the route table and the procedures' zod
 * schemas (the same JSON Schemas as `/docs.json`): every operation with its parameters,
 * request body, answer, stream events, auth scope and error answers.
 */
export function buildOpenApiDocument(router: RouterLike, version: string) {
  const reference = buildApiReference(router, version);
  const docs = new Map(reference.procedures.map((p) => [p.path, p]));
  const schemas: Schemas = { ErrorBody: ERROR_BODY_SCHEMA };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of REST_ROUTES) {
    const doc = docs.get(route.procedure);
    if (!doc)
      throw new Error(`REST route ${route.path} names unknown procedure ${route.procedure}`);
    const stream = route.streamProcedure ? docs.get(route.streamProcedure) : undefined;
    const item = paths[route.path] ?? {};
    item[route.method.toLowerCase()] = operation(route, doc, stream, schemas);
    paths[route.path] = item;
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: { ...OPENAPI_INFO, version },
    servers: [{ url: '/', description: 'This gateway' }],
    tags: TAGS,
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API key from API_KEYS or ADMIN_API_KEYS (admin operations need the latter).',
        },
      },
    },
  };
}

function operation(
  route: RestRoute,
  doc: ProcedureDoc,
  stream: ProcedureDoc | undefined,
  schemas: Schemas,
) {
  const name = pascal(route.procedure);
  const input = doc.input ? objectSchema(clean(doc.input)) : undefined;
  const inPath = pathParams(route.path);
  const parameters: unknown[] = inPath.map((param) => ({
    name: param,
    in: 'path',
    required: true,
    schema: input?.properties?.[param] ?? { type: 'string' },
  }));
  if (route.input === 'query' && input?.properties) {
    for (const [param, schema] of Object.entries(input.properties)) {
      if (inPath.includes(param)) continue;
      const required = input.required?.includes(param) ?? false;
      parameters.push({ name: param, in: 'query', required, schema });
    }
  }
  const op: Record<string, unknown> = {
    operationId: camel(route.procedure),
    summary: route.summary,
    description: describe(route, doc),
    tags: [route.procedure.split('.')[0]],
  };
  if (doc.scope === 'public') op.security = [];
  if (parameters.length > 0) op.parameters = parameters;
  if (route.input === 'body' && input) {
    schemas[`${name}Request`] = bodySchema(input, inPath, stream !== undefined);
    op.requestBody = {
      required: true,
      content: { 'application/json': { schema: ref(`${name}Request`) } },
    };
  }
  op.responses = responses(route, doc, stream, schemas);
  return op;
}

function describe(route: RestRoute, doc: ProcedureDoc): string {
  const lines = [
    `Calls the tRPC procedure \`${route.procedure}\`${route.streamProcedure ? ` (\`${route.streamProcedure}\` with \`"stream": true\`)` : ''}.`,
  ];
  if (doc.scope === 'admin') {
    lines.push('Needs an admin API key when keys are configured (a user key gets `FORBIDDEN`).');
  }
  if (doc.type === 'subscription' || route.streamProcedure) {
    lines.push(
      'Streams are `text/event-stream`: one `data: <event JSON>` per event; a failure after the first event ends the stream with `event: error` and the error body.',
    );
  }
  return lines.join('\n\n');
}

/** The body: the input without path parameters, plus `stream` where the route streams. */
function bodySchema(input: JsonSchema, inPath: string[], streams: boolean): JsonSchema {
  const properties = { ...(input.properties ?? {}) };
  for (const param of inPath) delete properties[param];
  if (streams) {
    // No `default`: generators (openapi-typescript) would make a defaulted field required.
    properties.stream = {
      type: 'boolean',
      description:
        "Answer with Server-Sent Events (the stream procedure's events) instead of one JSON answer.",
    };
  }
  const required = (input.required ?? []).filter((r) => !inPath.includes(r));
  const body: JsonSchema = { ...input, properties };
  if (required.length > 0) body.required = required;
  else delete body.required;
  return body;
}
