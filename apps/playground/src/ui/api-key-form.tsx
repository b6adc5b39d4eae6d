import { type FormEvent, useId, useState } from 'react';

/** Applies a key on submit (not per keystroke), so half-typed keys never reach the gateway. */
export function ApiKeyForm({ apiKey, onChange }: { apiKey: string; onChange(key: string): void }) {
  const [draft, setDraft] = useState(apiKey);
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange(draft.trim());
  };
  return (
    <form className="api-key" onSubmit={submit} aria-label="API key">
      <label htmlFor={id}>API key</label>
      <input
        id={id}
        type="password"
        autoComplete="off"
        placeholder="kept in this tab's session only"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
      />
      <button type="submit">Use key</button>
      <output aria-live="polite" data-testid="api-key-state">
        {apiKey ? 'key set' : 'no key'}
      </output>
    </form>
  );
}
