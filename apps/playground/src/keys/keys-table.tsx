import type { KeyRow } from './use-keys.js';

const number = new Intl.NumberFormat('en');
const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '–');

function limits(k: KeyRow): string {
  const one = (n: number | null, unit: string) =>
    n === null ? null : n === 0 ? `no ${unit} limit` : `${number.format(n)} ${unit}/min`;
  return [one(k.rpm, 'req'), one(k.tpm, 'tok')].filter(Boolean).join(', ') || 'default';
}

function budget(k: KeyRow): string {
  if (!k.budget) return 'none';
  const spent = k.usage.budgetSpent ?? k.usage.tokens;
  return `${number.format(spent)} / ${number.format(k.budget.tokens)} per ${k.budget.period}`;
}

/** Every stored key with what it used this period; revoked keys stay listed, greyed. */
export function KeysTable(props: {
  keys: KeyRow[];
  onEdit(key: KeyRow): void;
  onRevoke(key: KeyRow): void;
}) {
  return (
    <div className="table-scroll">
      <table data-testid="keys-table">
        <caption>Stored API keys</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key</th>
            <th scope="col">Models</th>
            <th scope="col">Limits</th>
            <th scope="col">Budget</th>
            <th scope="col">Usage this period</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.keys.map((k) => (
            <tr key={k.id} className={k.active ? undefined : 'inactive'}>
              <th scope="row">
                {k.name}
                {k.admin && <span className="badge">admin</span>}
              </th>
              <td>
                <code>{k.prefix}…</code>
              </td>
              <td>{k.models?.join(', ') ?? 'all allowed'}</td>
              <td>{limits(k)}</td>
              <td>{budget(k)}</td>
              <td>
                {number.format(k.usage.tokens)} tokens, {number.format(k.usage.requests)} requests
                <span className="muted"> since {day(k.usage.since)}</span>
              </td>
              <td>{day(k.lastUsedAt)}</td>
              <td>
                {k.revokedAt ? 'revoked' : k.active ? 'active' : `expired ${day(k.expiresAt)}`}
              </td>
              <td className="row-actions">
                {!k.revokedAt && (
                  <>
                    <button type="button" onClick={() => props.onEdit(k)}>
                      Edit
                    </button>
                    <button type="button" className="danger" onClick={() => props.onRevoke(k)}>
                      Revoke
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
          {props.keys.length === 0 && (
            <tr>
              <td colSpan={9} className="muted">
                No stored keys yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
