import { useState } from 'react';
import type { CreatedKey } from './use-keys.js';

/** The secret of a key just created: shown this once (the gateway keeps only its hash). */
export function NewSecret({ created, onDismiss }: { created: CreatedKey; onDismiss(): void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(created.key);
    setCopied(true);
  };
  return (
    <div className="notice new-secret" role="status" aria-label="New API key">
      <p>
        Key <strong>{created.name}</strong> created. Copy it now: it is not shown again.
      </p>
      <div className="row">
        <code className="secret" data-testid="new-secret">
          {created.key}
        </code>
        <button type="button" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" onClick={onDismiss}>
          Done
        </button>
      </div>
    </div>
  );
}
