import {
  GATEWAY_ERROR_CODES,
  type GatewayErrorCode,
  HTTP_STATUS_BY_CODE,
} from '@intellicore/llm-core';
import type { ProcedureDoc } from '../playground/docs.js';
import { clean, pascal, ref, type Schemas } from './openapi-names.js';
import type { RestRoute } from './routes.js';

/**
 * An operation's answers: the JSON answer (or, for a subscription, its Server-Sent Events),
 * and one error answer per status its codes map to, each naming those codes.
 */
export function responses(
  route: RestRoute,
  doc: ProcedureDoc,
  stream: ProcedureDoc | undefined,
  schemas: Schemas,
) {
  const name = pascal(route.procedure);
  const out: Record<string, unknown> = {};
  const eventSchema = (event: ProcedureDoc) => {
    const eventName = `${pascal(event.path)}Event`;
    schemas[eventName] = clean(event.output);
    return eventName;
  };
  if (doc.type === 'subscription') {
    const eventName = eventSchema(doc);
    out['200'] = {
      description: `Server-Sent Events, each \`data:\` a ${eventName}`,
      content: {
        'text/event-stream': { schema: { type: 'string' }, 'x-event-schema': ref(eventName) },
      },
    };
  } else {
    // The JSON answer is the only content, so generated clients type `data` as the answer;
    // the stream variant is told in words and by `x-stream-events` (its event schema).
    schemas[`${name}Response`] = clean(doc.output);
    const ok: Record<string, unknown> = {
      description: 'The answer',
      content: { 'application/json': { schema: ref(`${name}Response`) } },
    };
    if (stream) {
      const eventName = eventSchema(stream);
      ok.description = `The answer; with \`"stream": true\` instead \`text/event-stream\`, each \`data:\` a ${eventName}, the last one \`done\``;
      ok['x-stream-events'] = ref(eventName);
    }
    out[String(route.status ?? 200)] = ok;
    if (route.procedure === 'health.ready') {
      out['503'] = {
        description: 'Not ready (same body, `ready: false`)',
        content: { 'application/json': { schema: ref(`${name}Response`) } },
      };
    }
  }
  const codes = new Set<GatewayErrorCode>([...doc.errors, ...(stream?.errors ?? [])]);
  if (route.input === 'body') codes.add('PAYLOAD_TOO_LARGE');
  const byStatus = new Map<number, GatewayErrorCode[]>();
  for (const code of GATEWAY_ERROR_CODES) {
    if (!codes.has(code)) continue;
    const status = HTTP_STATUS_BY_CODE[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    if (out[String(status)]) continue;
    out[String(status)] = {
      description: list.map((c) => `\`${c}\``).join(', '),
      content: { 'application/json': { schema: ref('ErrorBody') } },
    };
  }
  return out;
}
