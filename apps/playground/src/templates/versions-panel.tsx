import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTRPC } from '../api/trpc.js';
import { ErrorBox } from '../ui/error-box.js';
import { lineDiff } from './line-diff.js';

/** Version history of one template: a diff between any two versions, and label moves. */
export function VersionsPanel({ id, latest }: { id: string; latest: number }) {
  const trpc = useTRPC();
  const versions = useQuery(trpc.templates.versions.queryOptions({ id }));
  const [from, setFrom] = useState(Math.max(1, latest - 1));
  const [to, setTo] = useState(latest);
  const fromId = useId();
  const toId = useId();
  const list = versions.data ?? [];
  return (
    <section aria-labelledby={`${fromId}-title`} className="versions">
      <h3 id={`${fromId}-title`}>Versions</h3>
      <ErrorBox error={versions.error} />
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Created</th>
              <th scope="col">By</th>
              <th scope="col">Message</th>
              <th scope="col">Labels</th>
            </tr>
          </thead>
          <tbody>
            {[...list].reverse().map((v) => (
              <tr key={v.version} data-testid={`version-${v.version}`}>
                <td>{v.version}</td>
                <td>{new Date(v.createdAt).toLocaleString()}</td>
                <td>{v.createdBy ?? '—'}</td>
                <td>{v.commitMessage ?? ''}</td>
                <td>
                  {v.labels.map((l) => (
                    <span key={l} className="tag">
                      {l}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="row">
        <label htmlFor={fromId}>Compare version</label>
        <select id={fromId} value={from} onChange={(e) => setFrom(Number(e.target.value))}>
          {list.map((v) => (
            <option key={v.version}>{v.version}</option>
          ))}
        </select>
        <label htmlFor={toId}>with version</label>
        <select id={toId} value={to} onChange={(e) => setTo(Number(e.target.value))}>
          {list.map((v) => (
            <option key={v.version}>{v.version}</option>
          ))}
        </select>
      </div>
      <VersionDiff id={id} from={from} to={to} />
      <LabelMover id={id} versions={list.map((v) => v.version)} latest={latest} />
    </section>
  );
}

function VersionDiff({ id, from, to }: { id: string; from: number; to: number }) {
  const trpc = useTRPC();
  const a = useQuery(trpc.templates.get.queryOptions({ id, version: from }));
  const b = useQuery(trpc.templates.get.queryOptions({ id, version: to }));
  if (a.error || b.error) return <ErrorBox error={a.error ?? b.error} />;
  if (!a.data || !b.data) return <p>Loading versions…</p>;
  const text = (v: typeof a.data) =>
    `${v.systemPrompt ? `[system]\n${v.systemPrompt}\n[template]\n` : ''}${v.template}`;
  const diff = lineDiff(text(a.data), text(b.data));
  return (
    <figure className="diff-figure">
      <figcaption>
        Changes from version {from} to version {to}
      </figcaption>
      <pre className="diff" data-testid="diff">
        {diff.map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a diff is positional
          <span key={i} className={line.kind}>
            {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}
            {line.text}
            {'\n'}
          </span>
        ))}
      </pre>
    </figure>
  );
}

function LabelMover({ id, versions, latest }: { id: string; versions: number[]; latest: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [label, setLabel] = useState('production');
  const [version, setVersion] = useState(latest);
  const labelId = useId();
  const versionId = useId();
  const move = useMutation(
    trpc.templates.setLabel.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.templates.pathKey() }),
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    move.mutate({ id, version, label: label.trim() });
  };
  return (
    <form className="row" onSubmit={submit} aria-label="Move a label">
      <label htmlFor={labelId}>Label</label>
      <input
        id={labelId}
        list={`${labelId}-known`}
        value={label}
        onChange={(e) => setLabel(e.target.value)}
      />
      <datalist id={`${labelId}-known`}>
        <option value="production" />
        <option value="staging" />
      </datalist>
      <label htmlFor={versionId}>to version</label>
      <select id={versionId} value={version} onChange={(e) => setVersion(Number(e.target.value))}>
        {versions.map((v) => (
          <option key={v}>{v}</option>
        ))}
      </select>
      <button type="submit" disabled={move.isPending}>
        Move label
      </button>
      {move.isSuccess && (
        <output>Moved {move.data ? `to version ${move.data.version}` : ''}</output>
      )}
      <ErrorBox error={move.error} label="Label not moved" />
    </form>
  );
}
