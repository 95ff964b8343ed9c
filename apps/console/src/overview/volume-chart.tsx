import type { Stat } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { everyStep } from './every-step';
import { LatencyChart } from './latency-chart';
import { CHART } from './volume-chart-geometry';

const STATUSES = ['SUCCESS', 'FAILED', 'TIMED_OUT', 'REJECTED', 'PENDING'] as const;
const { W, PAD } = CHART;
const H = 220;
const HOUR = 3_600_000;

/**
 * Volume per step stacked by status (bars), the success rate (line, right axis), and under
 * them the p95 latency of each step: plain SVG.
 */
export function VolumeChart({
  stat,
  from,
  to,
}: {
  stat: Stat | undefined;
  from: number;
  to: number;
}) {
  const { t, f } = useI18n();
  const series = everyStep(stat?.series ?? [], from, to, HOUR);
  const totals = series.map((s) => STATUSES.reduce((n, k) => n + s.counts[k], 0));
  const max = Math.max(1, ...totals);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = series.length ? plotW / series.length : plotW;
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const rateY = (r: number) => PAD.top + plotH - r * plotH;
  const line = series
    .map((s, i) =>
      s.successRate === null ? null : `${PAD.left + slot * (i + 0.5)},${rateY(s.successRate)}`,
    )
    .filter(Boolean)
    .join(' ');
  return (
    <figure className="chart">
      <figcaption>
        {t.overview.chart} · {t.overview.p95}: {f.ms(stat?.latencyMs.p95)}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t.overview.chart}>
        <line
          x1={PAD.left}
          x2={W - PAD.right}
          y1={PAD.top + plotH}
          y2={PAD.top + plotH}
          className="axis"
        />
        <text x={PAD.left - 6} y={PAD.top + 10} textAnchor="end" className="tick">
          {f.number(max)}
        </text>
        <text x={W - PAD.right + 6} y={PAD.top + 10} className="tick">
          {f.percent(1)}
        </text>
        {series.map((s, i) => {
          let base = 0;
          return (
            <g key={s.at}>
              <title>{`${f.dateTime(s.at)} — ${f.number(totals[i])}`}</title>
              {STATUSES.map((k) => {
                const v = s.counts[k];
                if (!v) return null;
                const top = y(base + v);
                const rect = (
                  <rect
                    key={k}
                    x={PAD.left + slot * i + slot * 0.1}
                    width={slot * 0.8}
                    y={top}
                    height={y(base) - top}
                    className={`bar-${k.toLowerCase()}`}
                  />
                );
                base += v;
                return rect;
              })}
              {i % Math.max(1, Math.ceil(series.length / 8)) === 0 && (
                <text
                  x={PAD.left + slot * (i + 0.5)}
                  y={H - 8}
                  textAnchor="middle"
                  className="tick"
                >
                  {f.time(s.at)}
                </text>
              )}
            </g>
          );
        })}
        {line && <polyline points={line} className="rate-line" />}
        {series.map((s, i) =>
          s.successRate === null ? null : (
            <circle
              key={s.at}
              cx={PAD.left + slot * (i + 0.5)}
              cy={rateY(s.successRate)}
              r={3}
              className="rate-point"
            />
          ),
        )}
      </svg>
      <LatencyChart series={series} />
      <ul className="legend">
        {STATUSES.map((k) => (
          <li key={k}>
            <span className={`swatch bar-${k.toLowerCase()}`} aria-hidden="true" />
            {t.status[k]}
          </li>
        ))}
        <li>
          <span className="swatch rate-swatch" aria-hidden="true" />
          {t.overview.chartRate}
        </li>
        <li>
          <span className="swatch p95-swatch" aria-hidden="true" />
          {t.overview.p95}
        </li>
      </ul>
    </figure>
  );
}
