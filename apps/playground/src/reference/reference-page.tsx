import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { DocText } from './doc-text.js';
import type { JsonSchema } from './json-schema.js';
import { SchemaView } from './schema-view.js';

/** The shape of `/docs.json` (apps/gateway/src/playground/docs.ts). */
export interface ApiReference {
  title: string;
  version: string;
  procedures: ProcedureDoc[];
}

interface ProcedureDoc {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  scope: 'public' | 'user' | 'admin';
  description?: string;
  input: JsonSchema | null;
  output: JsonSchema | null;
  errors: string[];
}

const SCOPE_TEXT = {
  public: 'public: no key needed',
  user: 'user: any API key',
  admin: 'admin: an admin API key',
} as const;

export function ReferencePage() {
  const docs = useQuery({
    queryKey: ['docs.json'],
    queryFn: async (): Promise<ApiReference> => {
      const res = await fetch('/docs.json', { headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`GET /docs.json answered ${res.status}`);
      return (await res.json()) as ApiReference;
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
  const [filter, setFilter] = useState('');
  const filterId = useId();
  const needle = filter.trim().toLowerCase();
  const procedures = (docs.data?.procedures ?? []).filter(
    (p) =>
      p.path.toLowerCase().includes(needle) || (p.description ?? '').toLowerCase().includes(needle),
  );
  return (
    <section aria-labelledby="reference-title" className="reference">
      <div className="page-head">
        <h1 id="reference-title">API reference</h1>
        <p className="links">
          <a href="/docs">Swagger UI (/docs)</a> · <a href="/redoc">ReDoc (/redoc)</a> ·{' '}
          <a href="/docs.json">/docs.json</a>
        </p>
      </div>
      <p>
        Every tRPC procedure with what it does, its input and its output, generated from the
        gateway's zod schemas. Call them with the typed SDK <code>@intellicore/llm-client</code>.
      </p>
      {docs.error && (
        <p className="error" role="alert">
          {String((docs.error as Error).message)}
        </p>
      )}
      <div className="reference-layout">
        <aside className="reference-index">
          <div className="field">
            <label htmlFor={filterId}>Filter procedures</label>
            <input
              id={filterId}
              type="search"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
            />
          </div>
          <nav aria-label="Procedures index">
            <ul>
              {procedures.map((p) => (
                <li key={p.path}>
                  <a href={`#proc-${p.path}`}>{p.path}</a>
                </li>
              ))}
            </ul>
          </nav>
        </aside>
        <ul className="procedures" aria-label="Procedures">
          {procedures.map((p) => (
            <Procedure key={p.path} p={p} />
          ))}
        </ul>
      </div>
    </section>
  );
}

function Procedure({ p }: { p: ProcedureDoc }) {
  return (
    <li id={`proc-${p.path}`} data-testid="procedure">
      <h2>
        <code>{p.path}</code> <span className={`badge ${p.type}`}>{p.type}</span>{' '}
        <span className={`badge scope-${p.scope}`} title={SCOPE_TEXT[p.scope]}>
          {p.scope}
        </span>
      </h2>
      {p.description && (
        <p className="description">
          <DocText text={p.description} />
        </p>
      )}
      <div className="io">
        <section aria-label={`${p.path} input`}>
          <h3>Input</h3>
          {p.input === null ? <p className="muted">none</p> : <SchemaView schema={p.input} />}
        </section>
        <section aria-label={`${p.path} ${p.type === 'subscription' ? 'events' : 'output'}`}>
          <h3>{p.type === 'subscription' ? 'Events' : 'Output'}</h3>
          {p.output === null ? (
            <p className="muted">not declared</p>
          ) : (
            <SchemaView schema={p.output} />
          )}
        </section>
      </div>
      <p className="errors">
        <span>Errors:</span>
        {p.errors.map((e) => (
          <code key={e} className="code">
            {e}
          </code>
        ))}
      </p>
      <details>
        <summary>JSON Schema</summary>
        <pre>{JSON.stringify({ input: p.input, output: p.output }, null, 2)}</pre>
      </details>
    </li>
  );
}
