import { isCancelled, shownError } from '../api/errors.js';

/**
 * A failed call: its stable code, message and per-field problems, announced to screen readers.
 * A cancellation (the user pressed Stop) is shown as information, not as a failure.
 */
export function ErrorBox({ error, label }: { error: unknown; label?: string }) {
  if (!error) return null;
  const e = shownError(error);
  const info = isCancelled(e);
  return (
    <div className={info ? 'notice' : 'error'} role={info ? 'status' : 'alert'}>
      {label && <strong>{label}: </strong>}
      <code className="code">{e.code}</code> {e.message}
      {e.code === 'UNAUTHORIZED' && ' — enter an API key at the top of the page.'}
      {e.fields.length > 0 && (
        <ul>
          {e.fields.map((f) => (
            <li key={`${f.path}:${f.message}`}>
              <code>{f.path || '(input)'}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
