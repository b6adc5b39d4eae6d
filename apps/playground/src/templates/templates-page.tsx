import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useId, useState } from 'react';
import { useTRPC } from '../api/trpc.js';
import { ErrorBox } from '../ui/error-box.js';
import { draftOf, emptyDraft } from './draft.js';
import { RenderForm } from './render-form.js';
import { TemplateCards } from './template-cards.js';
import { TemplateEditor } from './template-editor.js';
import { VersionsPanel } from './versions-panel.js';

type Selection = { kind: 'none' } | { kind: 'new' } | { kind: 'template'; id: string };

export function TemplatesPage() {
  const trpc = useTRPC();
  const [search, setSearch] = useState('');
  const [tag, setTag] = useState('');
  const [selected, setSelected] = useState<Selection>({ kind: 'none' });
  const query = useDeferredValue(search.trim());
  const searchId = useId();
  const tagId = useId();
  const all = useQuery(trpc.templates.list.queryOptions({ limit: 200 }));
  const page = useQuery(
    trpc.templates.list.queryOptions({
      limit: 200,
      ...(query ? { search: query } : {}),
      ...(tag ? { tag } : {}),
    }),
  );
  const tags = [...new Set((all.data?.items ?? []).flatMap((t) => t.tags))].sort();
  return (
    <section aria-labelledby="templates-title" className="templates">
      <h1 id="templates-title">Templates</h1>
      <div className="split">
        <aside>
          <div className="field">
            <label htmlFor={searchId}>Search</label>
            <input
              id={searchId}
              type="search"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={tagId}>Tag</label>
            <select id={tagId} value={tag} onChange={(e) => setTag(e.target.value)}>
              <option value="">all tags</option>
              {tags.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </div>
          <button type="button" onClick={() => setSelected({ kind: 'new' })}>
            New template
          </button>
          <ErrorBox error={page.error} />
          <ul className="template-list" aria-label="Templates">
            {(page.data?.items ?? []).map((t) => (
              <li key={t.id}>
                <button
                  type="button"
                  aria-pressed={selected.kind === 'template' && selected.id === t.id}
                  onClick={() => setSelected({ kind: 'template', id: t.id })}
                >
                  <span className="name">{t.id}</span>
                  <span className="meta">
                    v{t.latestVersion}
                    {t.tags.map((x) => (
                      <span key={x} className="tag">
                        {x}
                      </span>
                    ))}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </aside>
        <div className="workspace">
          {selected.kind === 'none' && (
            <TemplateCards
              items={page.data?.items ?? []}
              onPick={(id) => setSelected({ kind: 'template', id })}
            />
          )}
          {selected.kind === 'new' && (
            <>
              <h2>New template</h2>
              <TemplateEditor
                initial={emptyDraft()}
                onSaved={(saved) => setSelected({ kind: 'template', id: saved.id })}
              />
            </>
          )}
          {selected.kind === 'template' && <TemplateDetail id={selected.id} />}
        </div>
      </div>
    </section>
  );
}

function TemplateDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const latest = useQuery(trpc.templates.get.queryOptions({ id }));
  if (latest.error) return <ErrorBox error={latest.error} />;
  const v = latest.data;
  if (!v) return <p>Loading {id}…</p>;
  const key = `${v.id}@${v.version}`;
  return (
    <>
      <h2>
        {v.name} <small>({key})</small>
      </h2>
      {v.description && <p className="description">{v.description}</p>}
      <RenderForm key={`render-${key}`} version={v} />
      <details className="panel" open={!v.builtIn}>
        <summary>Edit{v.builtIn ? ' (read-only: built-in)' : ''}</summary>
        <TemplateEditor key={key} initial={draftOf(v)} base={v} onSaved={() => {}} />
      </details>
      <VersionsPanel key={`versions-${key}`} id={v.id} latest={v.version} />
    </>
  );
}
