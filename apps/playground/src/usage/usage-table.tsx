import { labelOf, type UsageRow } from './use-usage.js';

const ms = (n: number | null) => (n === null ? '–' : `${Math.round(n)} ms`);

/** The numbers behind the bar charts, with what the charts do not show (cache, errors, speed). */
export function UsageTable({ rows, groupLabel }: { rows: UsageRow[]; groupLabel: string }) {
  return (
    <div className="table-scroll">
      <table data-testid="usage-table">
        <caption>Totals per {groupLabel.toLowerCase()}</caption>
        <thead>
          <tr>
            <th scope="col">{groupLabel}</th>
            <th scope="col">Requests</th>
            <th scope="col">Prompt tokens</th>
            <th scope="col">Completion tokens</th>
            <th scope="col">Cached</th>
            <th scope="col">Errors</th>
            <th scope="col">Avg duration</th>
            <th scope="col">Avg TTFT</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.group ?? '(none)'}>
              <th scope="row">{labelOf(r)}</th>
              <td>{r.requests}</td>
              <td>{r.promptTokens}</td>
              <td>{r.completionTokens}</td>
              <td>{r.cachedRequests}</td>
              <td>{r.errorRequests}</td>
              <td>{ms(r.avgDurationMs)}</td>
              <td>{ms(r.avgTtftMs)}</td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={8} className="muted">
                No requests in this range.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
