import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';

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
  input: unknown;
  output: unknown;
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
  const procedures = (docs.data?.procedures ?? []).filter((p) =>
    p.path.toLowerCase().includes(filter.trim().toLowerCase()),
  );
  return (
    <section aria-labelledby="reference-title" className="reference">
      <h1 id="reference-title">API reference</h1>
      <p>
        Every tRPC procedure with its input and output as JSON Schema, generated from the gateway's
        zod schemas; the same as JSON at <a href="/docs.json">/docs.json</a>. Call them with the
        typed SDK <code>@intellicore/llm-client</code>.
      </p>
      {docs.error && (
        <p className="error" role="alert">
          {String((docs.error as Error).message)}
        </p>
      )}
      <div className="field">
        <label htmlFor={filterId}>Filter procedures</label>
        <input
          id={filterId}
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      </div>
      <ul className="procedures" aria-label="Procedures">
        {procedures.map((p) => (
          <li key={p.path} id={`proc-${p.path}`} data-testid="procedure">
            <h2>
              <code>{p.path}</code> <span className={`badge ${p.type}`}>{p.type}</span>{' '}
              <span className={`badge scope-${p.scope}`} title={SCOPE_TEXT[p.scope]}>
                {p.scope}
              </span>
            </h2>
            {p.description && <p>{p.description}</p>}
            <p className="errors">
              Errors:{' '}
              {p.errors.map((e) => (
                <code key={e} className="code">
                  {e}
                </code>
              ))}
            </p>
            <details>
              <summary>Input</summary>
              <pre>{p.input === null ? 'none' : JSON.stringify(p.input, null, 2)}</pre>
            </details>
            <details>
              <summary>{p.type === 'subscription' ? 'Events' : 'Output'}</summary>
              <pre>{p.output === null ? 'not declared' : JSON.stringify(p.output, null, 2)}</pre>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
