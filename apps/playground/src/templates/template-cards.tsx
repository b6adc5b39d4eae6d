import type { RouterOutputs } from '@intellicore/llm-client';

type Summary = RouterOutputs['templates']['list']['items'][number];

/** The templates at a glance (what each is for), before one is picked. */
export function TemplateCards({ items, onPick }: { items: Summary[]; onPick(id: string): void }) {
  if (items.length === 0) return <p>No template matches. Create one with “New template”.</p>;
  return (
    <>
      <p className="hint">
        Pick a template to render it with a model, edit it or see its versions.
      </p>
      <ul className="cards" aria-label="Template overview">
        {items.map((t) => (
          <li key={t.id}>
            <button type="button" className="card" onClick={() => onPick(t.id)}>
              <strong>{t.name || t.id}</strong>
              <span className="meta">
                {t.id} · v{t.latestVersion}
                {t.builtIn ? ' · built-in' : ''}
              </span>
              <span className="card-text">{t.description || 'No description.'}</span>
              <span>
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
    </>
  );
}
