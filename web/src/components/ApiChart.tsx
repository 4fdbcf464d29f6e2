// API calls per hour over the last 24 h for one side, as an inline SVG bar chart, with the day's
// total against the allocation as a meter. The chart has a text equivalent (title + desc).
import { useTranslation } from 'react-i18next';
import { num, percent } from '../format';
import type { ApiSide } from '../types';

const W = 480;
const H = 120;
const PAD = { l: 36, r: 6, t: 8, b: 18 };

export function ApiChart({
  id,
  name,
  side,
  events = false,
}: {
  id: string;
  name: string;
  side: ApiSide;
  /** The change-event deliveries (their own allocation, not REST calls). */
  events?: boolean;
}) {
  const { t } = useTranslation();
  const max = Math.max(1, ...side.hourly.map((h) => h.count));
  // An even share of the daily allocation per hour, drawn as a reference line when it fits.
  const perHour = side.allocation ? side.allocation / 24 : null;
  const top = Math.max(max, perHour && perHour < max * 4 ? perHour : 0);
  const bw = (W - PAD.l - PAD.r) / side.hourly.length;
  const y = (v: number) => PAD.t + (H - PAD.t - PAD.b) * (1 - v / top);
  const share = side.allocation ? Math.min(100, (side.total / side.allocation) * 100) : null;
  const peak = side.hourly.reduce(
    (a, b) => (b.count > a.count ? b : a),
    side.hourly[0] ?? { hour: '', count: 0 },
  );
  return (
    <figure className="chart" aria-labelledby={`${id}-cap`}>
      <figcaption id={`${id}-cap`}>
        <strong translate="no">{name}</strong>: {t('chart.caption', { total: num(side.total) })}
        {side.allocation
          ? t('chart.ofAllocated', { allocation: num(side.allocation), share: percent(share ?? 0) })
          : ''}
      </figcaption>
      {side.allocation !== null && (
        <div className="meter" aria-hidden="true">
          <div
            className={`fill ${share !== null && share > 80 ? 'hot' : ''}`}
            style={{ width: `${Math.max(share ?? 0, 0.5)}%` }}
          />
        </div>
      )}
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        preserveAspectRatio="none"
      >
        <title id={`${id}-title`}>{t('chart.title', { name })}</title>
        <desc id={`${id}-desc`}>
          {t('chart.desc', {
            peak: num(peak.count),
            hour: new Date(peak.hour || Date.now()).getUTCHours(),
            total: num(side.total),
          })}
        </desc>
        <line x1={PAD.l} x2={W - PAD.r} y1={y(0)} y2={y(0)} className="axis" />
        <text x={PAD.l - 4} y={y(top) + 8} className="tick" textAnchor="end">
          {num(Math.round(top))}
        </text>
        <text x={PAD.l - 4} y={y(0)} className="tick" textAnchor="end">
          0
        </text>
        {side.hourly.map((h, i) => (
          <rect
            key={h.hour}
            x={PAD.l + i * bw + 1}
            width={Math.max(1, bw - 2)}
            y={y(h.count)}
            height={Math.max(0, y(0) - y(h.count))}
            className="bar"
          />
        ))}
        {perHour !== null && perHour <= top && (
          <line x1={PAD.l} x2={W - PAD.r} y1={y(perHour)} y2={y(perHour)} className="limit" />
        )}
        <text x={PAD.l} y={H - 4} className="tick">
          {t('chart.ago')}
        </text>
        <text x={W - PAD.r} y={H - 4} className="tick" textAnchor="end">
          {t('chart.now')}
        </text>
      </svg>
      <p className="meta">
        {events && !side.usage ? t('chart.eventsNoteNone') : usageNote(t, side.usage, name === 'Salesforce')}
        {perHour !== null && perHour <= top ? t('chart.limitLine') : ''}
      </p>
    </figure>
  );
}

/** The server's note (`side.note`, English) written in the UI's language from the same facts. */
function usageNote(
  t: ReturnType<typeof useTranslation>['t'],
  usage: ApiSide['usage'],
  salesforce: boolean,
): string {
  if (!usage) return salesforce ? t('chart.sfNoteNone') : t('chart.hsNoteNone');
  if (usage.side === 'salesforce-events')
    return t('chart.eventsNote', { left: num(usage.remaining), max: num(usage.max) });
  if (usage.side === 'salesforce')
    return t('chart.sfNote', {
      used: num(usage.used),
      max: num(usage.max),
      percent: num(usage.budgetPercent),
    });
  return usage.dailyRemaining === null
    ? t('chart.hsNote', { max: num(usage.dailyMax) })
    : t('chart.hsNoteLeft', { max: num(usage.dailyMax), left: num(usage.dailyRemaining) });
}
