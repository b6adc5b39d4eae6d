import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTRPC } from '../api/trpc.js';
import { ErrorBox } from '../ui/error-box.js';
import { ModelDetails } from './model-details.js';
import { modelKey } from './model-kind.js';
import { PullForm } from './pull-form.js';
import { useModelCatalogue } from './use-model-catalogue.js';

const size = (bytes?: number) =>
  bytes === undefined ? '—' : `${(bytes / 1024 ** 3).toFixed(bytes > 1024 ** 3 ? 1 : 2)} GiB`;

export function ModelsPage() {
  const trpc = useTRPC();
  const models = useQuery(trpc.models.list.queryOptions());
  const [confirming, setConfirming] = useState<string | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const { models: pickable } = useModelCatalogue();
  const capabilities = (name: string) =>
    pickable.find((p) => !p.aliasOf && modelKey(p.value) === modelKey(name))?.capabilities ?? [];
  const shown = picked ?? models.data?.[0]?.name;
  return (
    <section aria-labelledby="models-title" className="models">
      <h1 id="models-title">Models</h1>
      <ErrorBox error={models.error} />
      <div className="models-layout">
        <div>
          <div className="table-scroll">
            <table>
              <caption>Allowed models on the healthy upstreams</caption>
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col">Family</th>
                  <th scope="col">Parameters</th>
                  <th scope="col">Size</th>
                  <th scope="col">Capabilities</th>
                  <th scope="col">Upstreams</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {(models.data ?? []).map((m) => (
                  <tr key={m.name} data-testid={`model-${m.name}`}>
                    <th scope="row">{m.name}</th>
                    <td>{m.details.family ?? '—'}</td>
                    <td>{m.details.parameterSize ?? '—'}</td>
                    <td className="nowrap">{size(m.size)}</td>
                    <td>{capabilities(m.name).join(', ') || '—'}</td>
                    <td>
                      {m.upstreams.map((u) => (
                        <div key={u} className="upstream">
                          {u}{' '}
                          {m.loadedOn.includes(u) ? (
                            <span className="tag loaded">loaded</span>
                          ) : (
                            <span className="muted">not loaded</span>
                          )}
                        </div>
                      ))}
                    </td>
                    <td className="row-actions">
                      <button
                        type="button"
                        aria-pressed={shown === m.name}
                        aria-label={`Details of ${m.name}`}
                        onClick={() => setPicked(m.name)}
                      >
                        Details
                      </button>
                      <button type="button" onClick={() => setConfirming(m.name)}>
                        Delete
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {models.data?.length === 0 && <p>No allowed model on a healthy upstream.</p>}
          {confirming && <ConfirmDelete name={confirming} onDone={() => setConfirming(null)} />}
          <PullForm />
        </div>
        {shown && <ModelDetails key={shown} name={shown} />}
      </div>
    </section>
  );
}

/** Deleting removes the model from every upstream that has it: ask first (admin only). */
function ConfirmDelete({ name, onDone }: { name: string; onDone(): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const remove = useMutation(
    trpc.models.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() });
        onDone();
      },
    }),
  );
  useEffect(() => cancelRef.current?.focus(), []);
  return (
    <div
      className="confirm"
      role="alertdialog"
      aria-modal="false"
      aria-labelledby="confirm-title"
      onKeyDown={(e) => e.key === 'Escape' && onDone()}
    >
      <p id="confirm-title">
        Delete <strong>{name}</strong> from every upstream that has it?
      </p>
      <button
        type="button"
        className="danger"
        onClick={() => remove.mutate({ name })}
        disabled={remove.isPending}
      >
        Delete {name}
      </button>
      <button type="button" ref={cancelRef} onClick={onDone}>
        Cancel
      </button>
      <ErrorBox error={remove.error} label="Not deleted" />
    </div>
  );
}
