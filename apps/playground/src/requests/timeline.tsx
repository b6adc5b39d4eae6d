import type { RequestEntry } from './use-requests.js';

const W = 560;
const ROW = 22;
const LABEL_W = 120;

/** The request's steps on one time axis (ms after arrival): bars for phases, ticks for events. */
export function Timeline({ entry }: { entry: RequestEntry }) {
  const end = Math.max(1, entry.durationMs, ...entry.timeline.map((s) => s.endMs ?? s.startMs));
  const x = (ms: number) => LABEL_W + ((W - LABEL_W - 80) * ms) / end;
  const height = entry.timeline.length * ROW + 8;
  return (
    <figure className="chart timeline" data-testid="request-timeline">
      <figcaption>Timeline (ms after arrival)</figcaption>
      <svg viewBox={`0 0 ${W} ${height}`} width="100%" role="img" aria-label="Timeline">
        {entry.timeline.map((s, i) => {
          const y = 4 + i * ROW;
          const label = s.detail ? `${s.name} (${s.detail})` : s.name;
          const text =
            s.endMs === undefined
              ? `${s.startMs.toFixed(1)}`
              : `${s.startMs.toFixed(1)}–${s.endMs.toFixed(1)}`;
          return (
            <g key={`${s.name}-${s.startMs}`} className={s.error ? 'failed' : undefined}>
              <title>{`${label}: ${text} ms${s.error ? ` — ${s.error}` : ''}`}</title>
              <text x={LABEL_W - 6} y={y + 14} textAnchor="end" className="label">
                {label.length > 18 ? `${label.slice(0, 17)}…` : label}
              </text>
              {s.endMs === undefined ? (
                <rect x={x(s.startMs) - 1} y={y + 2} width={3} height={ROW - 6} className="tick" />
              ) : (
                <rect
                  x={x(s.startMs)}
                  y={y + 3}
                  width={Math.max(2, x(s.endMs) - x(s.startMs))}
                  height={ROW - 8}
                  className="bar"
                />
              )}
              <text x={x(s.endMs ?? s.startMs) + 6} y={y + 14} className="value">
                {text}
                {s.error ? ` ${s.error}` : ''}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
