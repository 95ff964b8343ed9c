import type { StatPoint } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { CHART } from './volume-chart-geometry';

const H = 110;
const TOP = 14;
const BOTTOM = 10;

/**
 * The p95 latency of each step (line and points), under the volume chart and on its time
 * axis: plain SVG, its own scale from zero to the highest p95 of the day.
 */
export function LatencyChart({ series }: { series: StatPoint[] }) {
  const { t, f } = useI18n();
  const { W, PAD } = CHART;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - TOP - BOTTOM;
  const slot = series.length ? plotW / series.length : plotW;
  const known = series.map((s) => s.latencyMs.p95).filter((v): v is number => v !== null);
  const max = Math.max(1, ...known);
  const x = (i: number) => PAD.left + slot * (i + 0.5);
  const y = (v: number) => TOP + plotH - (v / max) * plotH;
  // A step without a successful delivery has no p95: the line breaks there.
  let path = '';
  let pen = false;
  series.forEach((s, i) => {
    const v = s.latencyMs.p95;
    if (v === null) {
      pen = false;
      return;
    }
    path += `${pen ? 'L' : 'M'}${x(i)},${y(v)} `;
    pen = true;
  });
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`${t.overview.p95Chart}: ${f.ms(known.length ? max : null)}`}
      className="latency-chart"
      data-testid="latency-chart"
    >
      <line x1={PAD.left} x2={W - PAD.right} y1={TOP + plotH} y2={TOP + plotH} className="axis" />
      <text x={PAD.left - 6} y={TOP + 4} textAnchor="end" className="tick">
        {f.ms(known.length ? max : null)}
      </text>
      <text x={PAD.left - 6} y={TOP + plotH} textAnchor="end" className="tick">
        0
      </text>
      <text x={PAD.left + 4} y={TOP - 3} className="tick">
        {t.overview.p95Chart}
      </text>
      {path && <path d={path} className="p95-line" />}
      {series.map((s, i) =>
        s.latencyMs.p95 === null ? null : (
          <circle key={s.at} cx={x(i)} cy={y(s.latencyMs.p95)} r={3} className="p95-point">
            <title>{`${f.dateTime(s.at)} — ${t.overview.p95}: ${f.ms(s.latencyMs.p95)}`}</title>
          </circle>
        ),
      )}
    </svg>
  );
}
