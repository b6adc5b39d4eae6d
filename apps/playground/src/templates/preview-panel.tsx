import { useDeferredValue, useMemo } from 'react';
import { type Draft, declarationsOf } from './draft.js';
import { previewTemplate } from './preview.js';

/** The rendered prompt as you type, or the checker's problems at line and column. */
export function PreviewPanel({ draft }: { draft: Draft }) {
  const deferred = useDeferredValue(draft);
  const preview = useMemo(
    () =>
      previewTemplate({
        template: deferred.template,
        systemPrompt: deferred.systemPrompt,
        variables: declarationsOf(deferred.variables).map((d) => ({ ...d })),
      }),
    [deferred],
  );
  return (
    <section className="preview" aria-label="Live preview" aria-live="polite">
      <h3>Preview</h3>
      {preview.problems.length > 0 ? (
        <ul className="problems" data-testid="preview-problems">
          {preview.problems.map((p) => (
            <li key={`${p.field}:${p.line}:${p.column}:${p.message}`}>
              <code>{p.field}</code>
              {p.line !== undefined && (
                <>
                  {' '}
                  at line {p.line}, column {p.column}
                </>
              )}
              : {p.message}
            </li>
          ))}
        </ul>
      ) : (
        <>
          {preview.systemPrompt !== undefined && (
            <pre className="system" data-testid="preview-system">
              {preview.systemPrompt}
            </pre>
          )}
          <pre data-testid="preview-prompt">{preview.prompt}</pre>
          <p className="hint">Rendered with defaults or sample values (‹name›).</p>
        </>
      )}
    </section>
  );
}
