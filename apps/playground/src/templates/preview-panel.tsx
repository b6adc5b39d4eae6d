import { useDeferredValue, useMemo } from 'react';
import { type Draft, declarationsOf } from './draft.js';
import { type Preview, type PreviewProblem, previewTemplate } from './preview.js';

/** The draft rendered by core's checker and renderer, recomputed as the user types. */
export function usePreview(draft: Draft): Preview {
  const deferred = useDeferredValue(draft);
  return useMemo(
    () =>
      previewTemplate({
        template: deferred.template,
        systemPrompt: deferred.systemPrompt,
        variables: declarationsOf(deferred.variables).map((d) => ({ ...d })),
      }),
    [deferred],
  );
}

/** `template at line 2, column 7: unknown name "process"`. */
export function ProblemText({ problem: p }: { problem: PreviewProblem }) {
  return (
    <>
      <code>{p.field}</code>
      {p.line !== undefined && (
        <>
          {' '}
          at line {p.line}, column {p.column}
        </>
      )}
      : {p.message}
    </>
  );
}

export const problemKey = (p: PreviewProblem) => `${p.field}:${p.line}:${p.column}:${p.message}`;

/** The rendered prompt as you type, or the checker's problems at line and column. */
export function PreviewPanel({ preview }: { preview: Preview }) {
  return (
    <section className="preview" aria-label="Live preview" aria-live="polite">
      <h3>Preview</h3>
      {preview.problems.length > 0 ? (
        <ul className="problems" data-testid="preview-problems">
          {preview.problems.map((p) => (
            <li key={problemKey(p)}>
              <ProblemText problem={p} />
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
