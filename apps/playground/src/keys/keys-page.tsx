import { useState } from 'react';
import { isMissingProcedure } from '../api/errors.js';
import { ErrorBox } from '../ui/error-box.js';
import { KeyForm } from './key-form.js';
import { KeysTable } from './keys-table.js';
import { NewSecret } from './new-secret.js';
import { type CreatedKey, type KeyRow, useKeys } from './use-keys.js';

/** Keys to hand out (admin): create (the secret shown once), list with usage, edit, revoke. */
export function KeysPage() {
  const keys = useKeys();
  const [created, setCreated] = useState<CreatedKey>();
  const [editing, setEditing] = useState<KeyRow>();
  const [revoking, setRevoking] = useState<KeyRow>();
  // A fresh form after each create (its fields start empty again).
  const [formNo, setFormNo] = useState(0);

  if (isMissingProcedure(keys.list.error)) {
    return (
      <p className="note" role="status">
        This gateway has no stored keys (<code>keys.list</code>).
      </p>
    );
  }
  return (
    <section aria-labelledby="keys-title" className="keys">
      <h1 id="keys-title">API keys</h1>
      <p className="muted">
        Keys kept by the gateway, beside <code>API_KEYS</code>/<code>ADMIN_API_KEYS</code>: each
        with its own models, limits and token budget. A revoke stops a key on every replica within a
        second.
      </p>
      {created && <NewSecret created={created} onDismiss={() => setCreated(undefined)} />}
      <h2>New key</h2>
      <KeyForm
        key={formNo}
        submitLabel="Create key"
        pending={keys.create.isPending}
        error={keys.create.error}
        onSubmit={(settings) =>
          keys.create.mutate(settings, {
            onSuccess: (answer) => {
              setCreated(answer);
              setFormNo((n) => n + 1);
            },
          })
        }
      />
      {editing && (
        <section aria-label={`Edit ${editing.name}`} className="key-edit">
          <h2>Edit {editing.name}</h2>
          <KeyForm
            key={editing.id}
            initial={editing}
            submitLabel={`Save ${editing.name}`}
            pending={keys.update.isPending}
            error={keys.update.error}
            onCancel={() => setEditing(undefined)}
            onSubmit={(settings) =>
              keys.update.mutate(
                { id: editing.id, ...settings },
                { onSuccess: () => setEditing(undefined) },
              )
            }
          />
        </section>
      )}
      {revoking && (
        <div className="confirm" role="alertdialog" aria-labelledby="revoke-title">
          <p id="revoke-title">
            Revoke <strong>{revoking.name}</strong>? Callers using it are refused from now on.
          </p>
          <button
            type="button"
            className="danger"
            disabled={keys.revoke.isPending}
            onClick={() =>
              keys.revoke.mutate({ id: revoking.id }, { onSuccess: () => setRevoking(undefined) })
            }
          >
            Revoke {revoking.name}
          </button>
          <button type="button" onClick={() => setRevoking(undefined)}>
            Cancel
          </button>
          <ErrorBox error={keys.revoke.error} label="Not revoked" />
        </div>
      )}
      <h2>Keys</h2>
      <ErrorBox error={keys.list.error} />
      {keys.list.isPending ? (
        <p className="muted">Loading…</p>
      ) : (
        <KeysTable keys={keys.list.data ?? []} onEdit={setEditing} onRevoke={setRevoking} />
      )}
    </section>
  );
}
