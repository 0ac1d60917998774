// One lab series as a small inline SVG chart: the reference band, the line, the points
// (out-of-range ones in red), the last value in words. No chart library.
import { facilityDate, formatDate } from '../lib/dates';
import { sparkline, type LabSeries } from './chart';

export function LabTrend({ series }: { series: LabSeries }) {
  const w = 160;
  const h = 44;
  const g = sparkline(series, w, h);
  const last = series.points[series.points.length - 1];
  const num = (v: number) => String(v).replace('.', ',');
  return (
    <figure className="lab-trend" data-testid="lab-trend" data-code={series.code}>
      <figcaption>
        <span className="lab-name">{series.display}</span>
        {last && (
          <span className={`lab-last${g.dots[g.dots.length - 1]?.out ? ' out' : ''}`}>
            {num(last.value)} {series.unit} <span className="muted">{formatDate(facilityDate(last.date))}</span>
          </span>
        )}
      </figcaption>
      <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${series.display}: ${series.points.map((p) => `${formatDate(facilityDate(p.date))} ${num(p.value)}`).join('; ')}`}>
        {g.band && <rect x={0} y={g.band.y1} width={w} height={Math.max(1, g.band.y2 - g.band.y1)} className="lab-band" />}
        {g.dots.length > 1 && <path d={g.path} className="lab-line" fill="none" />}
        {g.dots.map((d, i) => (
          <circle key={i} cx={d.x} cy={d.y} r={2.6} className={d.out ? 'lab-dot out' : 'lab-dot'}>
            <title>{`${formatDate(facilityDate(d.date))}: ${num(d.value)} ${series.unit}`}</title>
          </circle>
        ))}
      </svg>
      {(series.low !== undefined || series.high !== undefined) && (
        <span className="muted lab-range">
          {series.low !== undefined ? num(series.low) : '…'}–{series.high !== undefined ? num(series.high) : '…'} {series.unit}
        </span>
      )}
    </figure>
  );
}
