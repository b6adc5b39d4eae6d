import { useId, useState } from 'react';
import { isMissingProcedure } from '../api/errors.js';
import { ErrorBox } from '../ui/error-box.js';
import { DOORS, filtersFromSearch, type RequestFilters } from './filters.js';
import { RequestDetail } from './request-detail.js';
import { useRequests } from './use-requests.js';

const TEXT_FILTERS = [
  { key: 'model', label: 'Model' },
  { key: 'key', label: 'Key' },
  { key: 'code', label: 'Code (or ok)' },
] as const;

/** The request log (admin): newest first, filtered, live; a row opens its detail and timeline. */
export function RequestsPage() {
  const [filters, setFilters] = useState<RequestFilters>(() =>
    filtersFromSearch(window.location.search),
  );
  const [live, setLive] = useState(true);
  const [selected, setSelected] = useState<string>();
  const { data, error } = useRequests(filters, live);
  const ids = { door: useId(), live: useId(), base: useId() };
  const set = (k: keyof RequestFilters, v: string) =>
    setFilters((f) => {
      const next = { ...f };
      if (v) (next as Record<string, string>)[k] = v;
      else delete next[k];
      return next;
    });

  if (isMissingProcedure(error)) {
    return (
      <p className="note" role="status">
        The request log is not available: this gateway has no <code>requests.list</code>.
      </p>
    );
  }
  return (
    <section aria-labelledby="requests-title" className="requests">
      <h1 id="requests-title">Requests</h1>
      <div className="row" data-testid="request-filters">
        {TEXT_FILTERS.map((f) => (
          <span key={f.key}>
            <label htmlFor={`${ids.base}-${f.key}`}>{f.label}</label>{' '}
            <input
              id={`${ids.base}-${f.key}`}
              value={filters[f.key] ?? ''}
              onChange={(e) => set(f.key, e.target.value.trim())}
              size={14}
            />
          </span>
        ))}
        <label htmlFor={ids.door}>Door</label>
        <select
          id={ids.door}
          value={filters.door ?? ''}
          onChange={(e) => set('door', e.target.value)}
        >
          <option value="">any</option>
          {DOORS.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
        <label>
          <input
            id={ids.live}
            type="checkbox"
            checked={live}
            onChange={(e) => setLive(e.target.checked)}
          />{' '}
          Live
        </label>
      </div>
      {(filters.since || filters.until) && (
        <p className="muted">
          Between {filters.since ?? '…'} and {filters.until ?? '…'}{' '}
          <button type="button" onClick={() => setFilters(({ since, until, ...rest }) => rest)}>
            Any time
          </button>
        </p>
      )}
      <ErrorBox error={error} />
      <div className="table-scroll">
        <table data-testid="requests-table">
          <caption>Newest first{live ? ', updated every 2 s' : ''}</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Door</th>
              <th scope="col">Key</th>
              <th scope="col">Model</th>
              <th scope="col">Upstream</th>
              <th scope="col">Status</th>
              <th scope="col">Tokens in/out</th>
              <th scope="col">TTFT</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody>
            {(data?.items ?? []).map((e) => (
              <tr
                key={e.id}
                aria-selected={e.id === selected}
                className={e.code ? 'failed' : undefined}
              >
                <th scope="row">
                  <button type="button" className="link" onClick={() => setSelected(e.id)}>
                    {new Date(e.at).toLocaleTimeString()}
                  </button>
                </th>
                <td>{e.door}</td>
                <td>{e.keyName ?? e.keyId ?? '–'}</td>
                <td>{e.servedModel ?? e.model ?? '–'}</td>
                <td>{e.upstream ?? '–'}</td>
                <td>
                  {e.status} {e.code && <code className="code">{e.code}</code>}
                  {e.cached && ' (cached)'}
                </td>
                <td>
                  {e.promptTokens ?? '–'}/{e.completionTokens ?? '–'}
                </td>
                <td>{e.ttftMs === undefined ? '–' : `${Math.round(e.ttftMs)} ms`}</td>
                <td>{Math.round(e.durationMs)} ms</td>
              </tr>
            ))}
            {data && data.items.length === 0 && (
              <tr>
                <td colSpan={9} className="muted">
                  No requests match.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {selected && <RequestDetail id={selected} onClose={() => setSelected(undefined)} />}
    </section>
  );
}
