import { useId, useMemo, useState } from 'react';
import { isMissingProcedure } from '../api/errors.js';
import { requestsHref } from '../requests/filters.js';
import { ErrorBox } from '../ui/error-box.js';
import { BarChart } from './bar-chart.js';
import { DAY, fillDays, isoDay } from './days.js';
import { TimeChart } from './time-chart.js';
import { UsageTable } from './usage-table.js';
import { type UsageGroupBy, type UsageRow, useUsage } from './use-usage.js';

const GROUPS: { value: Exclude<UsageGroupBy, 'day'>; label: string }[] = [
  { value: 'model', label: 'Model' },
  { value: 'key', label: 'API key' },
  { value: 'template', label: 'Template' },
];

export function UsagePage() {
  const [fromDay, setFromDay] = useState(() => isoDay(new Date(Date.now() - 29 * DAY)));
  const [toDay, setToDay] = useState(() => isoDay(new Date()));
  const [groupBy, setGroupBy] = useState<Exclude<UsageGroupBy, 'day'>>('model');
  const ids = { from: useId(), to: useId(), group: useId() };
  const range = useMemo(() => {
    const from = new Date(`${fromDay}T00:00:00Z`);
    const to = new Date(new Date(`${toDay}T00:00:00Z`).getTime() + DAY); // `to` is exclusive
    return { from, to };
  }, [fromDay, toDay]);
  const perDay = useUsage('day', range.from, range.to);
  const perGroup = useUsage(groupBy, range.from, range.to);
  const missing = isMissingProcedure(perDay.error) || isMissingProcedure(perGroup.error);
  const days = fillDays(perDay.data ?? [], range.from, range.to);
  const groupLabel = GROUPS.find((g) => g.value === groupBy)?.label ?? groupBy;
  // A bar leads to the request log behind it (model or key; the log has no template filter).
  const hrefOf =
    groupBy === 'template'
      ? undefined
      : (label: string) =>
          label === '(none)'
            ? undefined
            : requestsHref({
                [groupBy]: label,
                since: range.from.toISOString(),
                until: range.to.toISOString(),
              });
  const bars = (pick: (r: UsageRow) => number) =>
    (perGroup.data ?? []).map((r) => ({ label: r.group ?? '(none)', value: pick(r) }));

  return (
    <section aria-labelledby="usage-title" className="usage">
      <h1 id="usage-title">Usage</h1>
      <div className="row">
        <label htmlFor={ids.from}>From</label>
        <input
          id={ids.from}
          type="date"
          value={fromDay}
          onChange={(e) => setFromDay(e.target.value)}
        />
        <label htmlFor={ids.to}>To</label>
        <input id={ids.to} type="date" value={toDay} onChange={(e) => setToDay(e.target.value)} />
        <label htmlFor={ids.group}>Group by</label>
        <select
          id={ids.group}
          value={groupBy}
          onChange={(e) => setGroupBy(e.target.value as Exclude<UsageGroupBy, 'day'>)}
        >
          {GROUPS.map((g) => (
            <option key={g.value} value={g.value}>
              {g.label}
            </option>
          ))}
        </select>
      </div>
      {missing ? (
        <p className="note" role="status" data-testid="usage-unavailable">
          Usage not available: this gateway has no <code>usage.summary</code> procedure.
        </p>
      ) : (
        <>
          <ErrorBox error={perDay.error ?? perGroup.error} />
          {/* aria-busy until both queries answered: "no data" is only said once it is true. */}
          <div
            className="charts"
            data-testid="usage-charts"
            aria-busy={perDay.isPending || perGroup.isPending}
          >
            <TimeChart
              title="Tokens per day"
              unit="tokens"
              points={days.map((d) => ({ day: d.day, value: d.row?.totalTokens ?? 0 }))}
            />
            <TimeChart
              title="Requests per day"
              unit="requests"
              points={days.map((d) => ({ day: d.day, value: d.row?.requests ?? 0 }))}
            />
            <BarChart
              title={`Tokens per ${groupLabel.toLowerCase()}`}
              unit="tokens"
              bars={bars((r) => r.totalTokens)}
              hrefOf={hrefOf}
            />
            <BarChart
              title={`Requests per ${groupLabel.toLowerCase()}`}
              unit="requests"
              bars={bars((r) => r.requests)}
              hrefOf={hrefOf}
            />
          </div>
          <UsageTable rows={perGroup.data ?? []} groupLabel={groupLabel} />
        </>
      )}
    </section>
  );
}
