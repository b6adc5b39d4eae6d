import { DocText } from './doc-text.js';
import { type JsonSchema, limitsOf, nestedObjects, typeLabel } from './json-schema.js';

/**
 * A JSON Schema as a readable field list: name, type, required, limits and the description
 * from the zod schema's `.describe()`; nested objects (also in arrays and unions) below their
 * field. Stream events (a union of objects) are listed variant by variant.
 */
export function SchemaView({ schema, depth = 0 }: { schema: JsonSchema; depth?: number }) {
  const variants = schema.oneOf ?? schema.anyOf;
  if (!schema.properties && variants && variants.every((v) => v.properties)) {
    return (
      <ol className="variants">
        {variants.map((v, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: variants are positional
          <li key={i}>
            <span className="muted">One of: </span>
            {v.description ? <DocText text={v.description} /> : typeLabel(v.properties?.type ?? {})}
            <SchemaView schema={v} depth={depth + 1} />
          </li>
        ))}
      </ol>
    );
  }
  if (!schema.properties) {
    return (
      <p className="schema-scalar">
        <code className="type">{typeLabel(schema)}</code>
        {schema.description && (
          <>
            {' '}
            — <DocText text={schema.description} />
          </>
        )}
      </p>
    );
  }
  const required = new Set(schema.required ?? []);
  return (
    <ul className="fields">
      {Object.entries(schema.properties).map(([name, field]) => {
        const nested = depth < 4 ? nestedObjects(field) : [];
        return (
          <li key={name}>
            <code className="field-name">{name}</code>{' '}
            <code className="type">{typeLabel(field)}</code>
            {required.has(name) ? (
              <span className="req"> required</span>
            ) : (
              <span className="muted"> optional</span>
            )}
            {limitsOf(field).map((l) => (
              <span key={l} className="limit">
                {' '}
                · {l}
              </span>
            ))}
            {field.description && (
              <p className="field-doc">
                <DocText text={field.description} />
              </p>
            )}
            {nested.map((n, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: nested schemas are positional
              <SchemaView key={i} schema={n} depth={depth + 1} />
            ))}
          </li>
        );
      })}
    </ul>
  );
}
