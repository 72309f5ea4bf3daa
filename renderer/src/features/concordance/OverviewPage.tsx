import { useEffect, useState } from 'react';
import type { ReactElement } from 'react';
import type { ApiResponse } from '../../../../shared/api/schemas.ts';
import { OVERVIEW_GROUPINGS } from '../../../../shared/reports/overview.ts';
import type { OverviewGrouping } from '../../../../shared/reports/overview.ts';
import { api } from '../../api/api.ts';
import { downloadText } from '../../ui/download.ts';
import { matrixGrid, percent, rateBars } from './overview-layout.ts';
import type { ChartFrame, PeriodRates } from './overview-layout.ts';
import './overview.css';

type Overview = ApiResponse<'concordanceOverview'>['overview'];

const GROUPING_LABELS: Record<OverviewGrouping, string> = { modality: 'Modality', facility: 'Outside facility', period: 'Period (month)' };
const SUPPORT_LABELS = { outside: 'the outside reading', 'second-opinion': 'the second opinion', both: 'both readings', neither: 'neither reading' } as const;
const VERDICT_NAMES = { concordant: 'Concordant', minor: 'Minor discordance', major: 'Major discordance' } as const;

const FRAME: ChartFrame = { width: 640, height: 240, left: 44, top: 12, plotWidth: 580, plotHeight: 180 };

/** The share of each verdict per month, drawn as 100 % stacked bars (SVG, no chart library). */
function RateChart({ periods }: { periods: PeriodRates[] }): ReactElement {
  if (periods.length === 0) {
    return <p className="note">No signed report with a confirmed verdict yet.</p>;
  }
  const bars = rateBars(periods, FRAME);
  const bottom = FRAME.top + FRAME.plotHeight;
  return (
    <figure className="rate-chart">
      <svg viewBox={`0 0 ${FRAME.width} ${FRAME.height}`} role="img" aria-label="Verdict rates by month">
        {[0, 0.25, 0.5, 0.75, 1].map((tick) => {
          const y = bottom - tick * FRAME.plotHeight;
          return (
            <g key={tick}>
              <line x1={FRAME.left} x2={FRAME.left + FRAME.plotWidth} y1={y} y2={y} className="gridline" />
              <text x={FRAME.left - 6} y={y + 4} textAnchor="end" className="axis-label">
                {tick * 100}%
              </text>
            </g>
          );
        })}
        {bars.map((bar) => (
          <g key={bar.key} data-period={bar.key}>
            {bar.segments.map((segment) =>
              segment.height > 0 ? (
                <rect key={segment.verdict} x={bar.x} y={segment.y} width={bar.width} height={segment.height} className={`bar-${segment.verdict}`}>
                  <title>{`${bar.key}: ${VERDICT_NAMES[segment.verdict]} ${percent(segment.rate)} of ${bar.total}`}</title>
                </rect>
              ) : null,
            )}
            <text x={bar.x + bar.width / 2} y={bottom + 16} textAnchor="middle" className="axis-label">
              {bar.key}
            </text>
            <text x={bar.x + bar.width / 2} y={bottom + 32} textAnchor="middle" className="axis-label muted-label">
              n={bar.total}
            </text>
          </g>
        ))}
      </svg>
      <figcaption className="legend">
        {(['concordant', 'minor', 'major'] as const).map((verdict) => (
          <span key={verdict}>
            <span className={`swatch bar-${verdict}`} aria-hidden="true" /> {VERDICT_NAMES[verdict]}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

function Matrix({ cells }: { cells: Overview['matrix'] }): ReactElement {
  const grid = matrixGrid(cells);
  if (grid.total === 0) {
    return <p className="note">No cases.</p>;
  }
  return (
    <table className="matrix" aria-label="Outside against second-opinion categories">
      <thead>
        <tr>
          <th scope="col">Outside ↓ / second opinion →</th>
          {grid.secondOpinion.map((category) => (
            <th key={category} scope="col" className="num">
              {category}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {grid.outside.map((outside, row) => (
          <tr key={outside}>
            <th scope="row">{outside}</th>
            {grid.secondOpinion.map((second, column) => {
              const count = grid.counts[row]?.[column] ?? 0;
              return (
                <td key={second} className={count === 0 ? 'num zero' : outside === second ? 'num same' : 'num'} data-cell={`${outside}|${second}`}>
                  {count}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The concordance overview: counts and rates by modality, facility or period; over time; the matrix; CSV. */
export function OverviewPage(): ReactElement {
  const [groupBy, setGroupBy] = useState<OverviewGrouping>('modality');
  const [data, setData] = useState<ApiResponse<'concordanceOverview'> | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.concordanceOverview({ groupBy }).then(
      (response) => live && setData(response),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [groupBy]);

  if (error) {
    return <p className="error" role="alert">{error}</p>;
  }
  if (!data) {
    return <p className="note">Loading the overview…</p>;
  }
  const { overview, csv } = data;
  const outcomes = Object.entries(overview.discordantOutcomes) as [keyof typeof SUPPORT_LABELS, number][];
  return (
    <div className="overview-page">
      <section className="panel">
        <div className="overview-head">
          <h2>Concordance overview</h2>
          <span className="muted">Signed reports with a confirmed verdict: {overview.all.total}</span>
          <button type="button" className="push-right" onClick={() => downloadText('concordance-overview.csv', csv, 'text/csv;charset=utf-8')}>
            Export CSV
          </button>
        </div>
        <dl className="counts" aria-label="All reports">
          {(['concordant', 'minor', 'major'] as const).map((verdict) => (
            <div key={verdict} data-verdict-count={verdict}>
              <dt>{VERDICT_NAMES[verdict]}</dt>
              <dd>
                {overview.all[verdict]} ({percent(overview.all[`${verdict}Rate`])})
              </dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="panel">
        <div className="overview-head">
          <h2>By {GROUPING_LABELS[groupBy].toLowerCase()}</h2>
          <label>
            Group by{' '}
            <select value={groupBy} onChange={(event) => setGroupBy(event.target.value as OverviewGrouping)}>
              {OVERVIEW_GROUPINGS.map((grouping) => (
                <option key={grouping} value={grouping}>
                  {GROUPING_LABELS[grouping]}
                </option>
              ))}
            </select>
          </label>
        </div>
        <table className="overview-groups" aria-label={`Verdicts by ${GROUPING_LABELS[groupBy].toLowerCase()}`}>
          <thead>
            <tr>
              <th>{GROUPING_LABELS[groupBy]}</th>
              <th className="num">Reports</th>
              <th className="num">Concordant</th>
              <th className="num">Minor</th>
              <th className="num">Major</th>
            </tr>
          </thead>
          <tbody>
            {overview.groups.map((group) => (
              <tr key={group.key} data-group={group.key}>
                <td>{group.key}</td>
                <td className="num">{group.total}</td>
                <td className="num">{group.concordant} · {percent(group.concordantRate)}</td>
                <td className="num">{group.minor} · {percent(group.minorRate)}</td>
                <td className="num">{group.major} · {percent(group.majorRate)}</td>
              </tr>
            ))}
            {overview.groups.length === 0 && (
              <tr>
                <td colSpan={5} className="empty">No signed report with a confirmed verdict yet.</td>
              </tr>
            )}
          </tbody>
        </table>
      </section>
      <div className="overview-columns">
        <section className="panel">
          <h2>Rates over time</h2>
          <RateChart periods={overview.timeSeries} />
        </section>
        <section className="panel">
          <h2>Outside against second-opinion category</h2>
          <Matrix cells={overview.matrix} />
          <h2 className="spaced">Discordant cases with outcomes</h2>
          <ul className="outcome-support" aria-label="Which reading the outcomes supported">
            {outcomes.map(([support, count]) => (
              <li key={support} data-support={support}>
                The outcome supported {SUPPORT_LABELS[support]}: <strong>{count}</strong>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
