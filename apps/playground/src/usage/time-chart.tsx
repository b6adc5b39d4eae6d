export interface DayPoint {
  day: string;
  value: number;
}

const W = 560;
const H = 200;
const PAD = { left: 48, right: 8, top: 10, bottom: 28 };

/** Vertical bars per UTC day, with a max-value axis and first/last day labels. Plain SVG. */
export function TimeChart({
  title,
  points,
  unit,
}: {
  title: string;
  points: DayPoint[];
  unit: string;
}) {
  const max = Math.max(1, ...points.map((p) => p.value));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const step = innerW / Math.max(1, points.length);
  const first = points[0];
  const last = points[points.length - 1];
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-label={`${title}: ${points.map((p) => `${p.day} ${p.value} ${unit}`).join(', ') || 'no data'}`}
      >
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} className="axis" />
        <line
          x1={PAD.left}
          y1={H - PAD.bottom}
          x2={W - PAD.right}
          y2={H - PAD.bottom}
          className="axis"
        />
        <text x={PAD.left - 4} y={PAD.top + 8} textAnchor="end" className="label">
          {max.toLocaleString()}
        </text>
        <text x={PAD.left - 4} y={H - PAD.bottom} textAnchor="end" className="label">
          0
        </text>
        {points.map((p, i) => {
          const h = (innerH * p.value) / max;
          return (
            <rect
              key={p.day}
              x={PAD.left + i * step + step * 0.15}
              y={H - PAD.bottom - h}
              width={step * 0.7}
              height={h}
              className="bar"
            >
              <title>{`${p.day}: ${p.value} ${unit}`}</title>
            </rect>
          );
        })}
        {first && (
          <text x={PAD.left} y={H - 8} className="label">
            {first.day}
          </text>
        )}
        {last && last !== first && (
          <text x={W - PAD.right} y={H - 8} textAnchor="end" className="label">
            {last.day}
          </text>
        )}
      </svg>
    </figure>
  );
}
