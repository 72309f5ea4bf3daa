import { useEffect, useState } from 'react';
import type { ReactElement } from 'react';
import type { ApiResponse } from '../../../../shared/api/schemas.ts';
import { OVERVIEW_GROUPINGS, casesBehind } from '../../../../shared/reports/overview.ts';
import type { CountSelection, OverviewFilter, OverviewGrouping } from '../../../../shared/reports/overview.ts';
import { api } from '../../api/api.ts';
import { downloadText } from '../../ui/download.ts';
import { formatDicomDate, formatLocalTime } from '../../ui/format.ts';
import { matrixGrid, percent, rateBars } from './overview-layout.ts';
import type { ChartFrame, PeriodRates } from './overview-layout.ts';
import './overview.css';

type Overview = ApiResponse<'concordanceOverview'>['overview'] & { cases: ApiResponse<'concordanceOverview'>['cases'] };

const GROUPING_LABELS: Record<OverviewGrouping, string> = { modality: 'Modality', facility: 'Outside facility', period: 'Period (month)' };
const SUPPORT_LABELS = { outside: 'the outside reading', 'second-opinion': 'the second opinion', both: 'both readings', neither: 'neither reading' } as const;
const VERDICT_NAMES = { concordant: 'Concordant', minor: 'Minor discordance', major: 'Major discordance' } as const;

type Select = (selection: CountSelection, label: string) => void;

/** A count that opens the list of its cases. */
function Count({ value, label, selection, onSelect, children }: { value: number; label: string; selection: CountSelection; onSelect: Select; children?: ReactElement | string }): ReactElement {
  return (
    <button type="button" className="count-link" disabled={value === 0} aria-label={`${value} ${label}: list the cases`} onClick={() => onSelect(selection, label)}>
      {children ?? String(value)}
    </button>
  );
}

/** The cases behind one count; each opens its study, where its report is. */
function CaseList({ cases, label, onClose }: { cases: Overview['cases']; label: string; onClose(): void }): ReactElement {
  return (
    <section className="panel case-list" aria-label="Cases behind the count">
      <div className="overview-head">
        <h2>
          {label.charAt(0).toUpperCase()}
          {label.slice(1)}: {cases.length} case{cases.length === 1 ? '' : 's'}
        </h2>
        <button type="button" className="push-right" onClick={onClose}>
          Close
        </button>
      </div>
      <table aria-label={`Cases: ${label}`}>
        <thead>
          <tr>
            <th>Patient</th>
            <th>Patient ID</th>
            <th>Study date</th>
            <th>Outside facility</th>
            <th>Signed</th>
            <th>Reader</th>
            <th>Outside → second opinion</th>
            <th>Verdict</th>
          </tr>
        </thead>
        <tbody>
          {cases.map((item) => (
            <tr key={item.reportId} data-report-id={item.reportId}>
              <td>
                <a href={`#/study/${item.studyInstanceUid}`}>{item.patientName || '(no name)'}</a>
              </td>
              <td className="mono">{item.patientId}</td>
              <td>{formatDicomDate(item.studyDate)}</td>
              <td>{item.facility || '(not recorded)'}</td>
              <td>{formatLocalTime(item.signedAt)}</td>
              <td>{item.readerName}</td>
              <td>
                {item.outsideAssessment ?? '-'} → {item.secondOpinionAssessment ?? '-'}
              </td>
              <td data-verdict={item.verdict}>{VERDICT_NAMES[item.verdict]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const FRAME: ChartFrame = { width: 640, height: 240, left: 44, top: 12, plotWidth: 580, plotHeight: 180 };

/** The share of each verdict per month, drawn as 100 % stacked bars (SVG, no chart library). */
function RateChart({ periods, onSelect }: { periods: PeriodRates[]; onSelect: Select }): ReactElement {
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
                <rect
                  key={segment.verdict}
                  x={bar.x}
                  y={segment.y}
                  width={bar.width}
                  height={segment.height}
                  className={`bar-${segment.verdict} clickable`}
                  onClick={() => onSelect({ section: 'month', key: bar.key, verdict: segment.verdict }, `${VERDICT_NAMES[segment.verdict]}, ${bar.key}`)}
                >
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

function Matrix({ cells, onSelect }: { cells: Overview['matrix']; onSelect: Select }): ReactElement {
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
                  <Count
                    value={count}
                    label={`outside ${outside}, second opinion ${second}`}
                    selection={{ section: 'matrix', outside, secondOpinion: second }}
                    onSelect={onSelect}
                  />
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The filter bar: signed from and to (local dates), and by one reader. */
function Filters({ filter, readers, onChange }: { filter: OverviewFilter; readers: { id: string; name: string }[]; onChange(next: OverviewFilter): void }): ReactElement {
  const set = (field: keyof OverviewFilter, value: string): void => onChange({ ...filter, [field]: value || undefined });
  return (
    <form className="overview-filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
      <label>
        Signed from <input type="date" value={filter.from ?? ''} max={filter.to} onChange={(event) => set('from', event.target.value)} />
      </label>
      <label>
        to <input type="date" value={filter.to ?? ''} min={filter.from} onChange={(event) => set('to', event.target.value)} />
      </label>
      <label>
        Reader{' '}
        <select value={filter.reader ?? ''} onChange={(event) => set('reader', event.target.value)}>
          <option value="">All readers</option>
          {readers.map((reader) => (
            <option key={reader.id} value={reader.id}>
              {reader.name}
            </option>
          ))}
        </select>
      </label>
      <button type="button" disabled={!filter.from && !filter.to && !filter.reader} onClick={() => onChange({})}>
        Clear filters
      </button>
    </form>
  );
}

/**
 * The concordance overview: counts and rates by modality, facility or period; over time; the matrix;
 * CSV. Filtered by signing date and reader; every count opens the list of its cases.
 */
export function OverviewPage(): ReactElement {
  const [groupBy, setGroupBy] = useState<OverviewGrouping>('modality');
  const [filter, setFilter] = useState<OverviewFilter>({});
  const [data, setData] = useState<ApiResponse<'concordanceOverview'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<{ selection: CountSelection; label: string } | null>(null);

  useEffect(() => {
    let live = true;
    api.concordanceOverview({ groupBy, ...filter }).then(
      (response) => {
        if (live) {
          setData(response);
          setError(null);
        }
      },
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [groupBy, filter]);

  if (error) {
    return <p className="error" role="alert">{error}</p>;
  }
  if (!data) {
    return <p className="note">Loading the overview…</p>;
  }
  const { overview, csv, cases, readers } = data;
  const select: Select = (selection, label) => setSelected({ selection, label });
  const outcomes = Object.entries(overview.discordantOutcomes) as [keyof typeof SUPPORT_LABELS, number][];
  const groupName = GROUPING_LABELS[groupBy].toLowerCase();
  return (
    <div className="overview-page">
      <section className="panel">
        <div className="overview-head">
          <h2>Concordance overview</h2>
          <span className="muted">
            Signed reports with a confirmed verdict:{' '}
            <Count value={overview.all.total} label="signed reports" selection={{ section: 'all' }} onSelect={select} />
          </span>
          <button type="button" className="push-right" onClick={() => downloadText('concordance-overview.csv', csv, 'text/csv;charset=utf-8')}>
            Export CSV
          </button>
        </div>
        <Filters
          filter={filter}
          readers={readers}
          onChange={(next) => {
            setFilter(next);
            setSelected(null);
          }}
        />
        <dl className="counts" aria-label="All reports">
          {(['concordant', 'minor', 'major'] as const).map((verdict) => (
            <div key={verdict} data-verdict-count={verdict}>
              <dt>{VERDICT_NAMES[verdict]}</dt>
              <dd>
                <Count value={overview.all[verdict]} label={VERDICT_NAMES[verdict]} selection={{ section: 'all', verdict }} onSelect={select}>
                  {`${overview.all[verdict]} (${percent(overview.all[`${verdict}Rate`])})`}
                </Count>
              </dd>
            </div>
          ))}
        </dl>
      </section>
      {selected && (
        <CaseList cases={casesBehind(cases, groupBy, selected.selection)} label={selected.label} onClose={() => setSelected(null)} />
      )}
      <section className="panel">
        <div className="overview-head">
          <h2>By {groupName}</h2>
          <label>
            Group by{' '}
            <select
              value={groupBy}
              onChange={(event) => {
                setGroupBy(event.target.value as OverviewGrouping);
                setSelected(null);
              }}
            >
              {OVERVIEW_GROUPINGS.map((grouping) => (
                <option key={grouping} value={grouping}>
                  {GROUPING_LABELS[grouping]}
                </option>
              ))}
            </select>
          </label>
        </div>
        <table className="overview-groups" aria-label={`Verdicts by ${groupName}`}>
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
                <td className="num" data-count="total">
                  <Count value={group.total} label={group.key} selection={{ section: 'group', key: group.key }} onSelect={select} />
                </td>
                {(['concordant', 'minor', 'major'] as const).map((verdict) => (
                  <td key={verdict} className="num" data-count={verdict}>
                    <Count value={group[verdict]} label={`${VERDICT_NAMES[verdict]}, ${group.key}`} selection={{ section: 'group', key: group.key, verdict }} onSelect={select}>
                      {`${group[verdict]} · ${percent(group[`${verdict}Rate`])}`}
                    </Count>
                  </td>
                ))}
              </tr>
            ))}
            {overview.groups.length === 0 && (
              <tr>
                <td colSpan={5} className="empty">No signed report with a confirmed verdict{filter.from || filter.to || filter.reader ? ' matches the filters' : ' yet'}.</td>
              </tr>
            )}
          </tbody>
        </table>
      </section>
      <div className="overview-columns">
        <section className="panel">
          <h2>Rates over time</h2>
          <RateChart periods={overview.timeSeries} onSelect={select} />
        </section>
        <section className="panel">
          <h2>Outside against second-opinion category</h2>
          <Matrix cells={overview.matrix} onSelect={select} />
          <h2 className="spaced">Discordant cases with outcomes</h2>
          <ul className="outcome-support" aria-label="Which reading the outcomes supported">
            {outcomes.map(([support, count]) => (
              <li key={support} data-support={support}>
                The outcome supported {SUPPORT_LABELS[support]}:{' '}
                <strong>
                  <Count value={count} label={`outcome supported ${SUPPORT_LABELS[support]}`} selection={{ section: 'outcome', support }} onSelect={select} />
                </strong>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
