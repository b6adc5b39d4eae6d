import { follow } from '../router.js';

export interface Bar {
  label: string;
  value: number;
}

const W = 560;
const ROW = 22;
const LABEL_W = 180;

/** A plain horizontal SVG bar chart; each bar carries its value as text and as a <title>. */
export function BarChart({
  title,
  bars,
  unit,
  hrefOf,
}: {
  title: string;
  bars: Bar[];
  unit: string;
  /** Where a bar leads (the requests behind it), when it leads somewhere. */
  hrefOf?: (label: string) => string | undefined;
}) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = Math.max(1, bars.length) * ROW + 8;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${W} ${height}`}
        width="100%"
        role="img"
        aria-label={`${title}: ${bars.map((b) => `${b.label} ${b.value} ${unit}`).join(', ') || 'no data'}`}
      >
        {bars.length === 0 && (
          <text x={8} y={18} className="muted">
            no data in this range
          </text>
        )}
        {bars.map((b, i) => {
          const y = 4 + i * ROW;
          const w = ((W - LABEL_W - 70) * b.value) / max;
          const href = hrefOf?.(b.label);
          const bar = (
            <g key={b.label}>
              <title>{`${b.label}: ${b.value} ${unit}`}</title>
              <text x={LABEL_W - 6} y={y + 14} textAnchor="end" className="label">
                {b.label.length > 26 ? `${b.label.slice(0, 25)}…` : b.label}
              </text>
              <rect x={LABEL_W} y={y + 3} width={Math.max(1, w)} height={ROW - 8} className="bar" />
              <text x={LABEL_W + w + 6} y={y + 14} className="value">
                {b.value.toLocaleString()}
              </text>
            </g>
          );
          return href ? (
            <a
              key={b.label}
              href={href}
              onClick={(e) => follow(e, href)}
              aria-label={`Requests of ${b.label}`}
            >
              {bar}
            </a>
          ) : (
            bar
          );
        })}
      </svg>
    </figure>
  );
}
