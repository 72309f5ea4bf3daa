import { useMemo, useState } from 'react';
import type { UIEvent } from 'react';
import type { KeyboardEvent, ReactElement } from 'react';
import type { Study } from '../../../../shared/api/schemas.ts';
import { formatHeaderText, formatPersonName, plainText } from '../../../../shared/dicom/display-text.ts';
import { formatDicomDate } from '../../ui/format.ts';

interface Props {
  studies: Study[];
  caption: string;
  /** When given, rows are selectable with arrows and open with Enter or a double click. */
  onOpen?(study: Study): void;
  onSelect?(study: Study): void;
}

type Column = { key: keyof Study; label: string; className?: string };

const ROW_HEIGHT = 29;
const VISIBLE_ROWS = 40;
const OVERSCAN = 10;
const WINDOW_THRESHOLD = 300;

const COLUMNS: Column[] = [
  { key: 'patientName', label: 'Patient' },
  { key: 'patientId', label: 'Patient ID', className: 'mono' },
  { key: 'patientBirthDate', label: 'Birth date', className: 'date' },
  { key: 'studyDate', label: 'Study date', className: 'date' },
  { key: 'accessionNumber', label: 'Accession', className: 'mono' },
  { key: 'studyDescription', label: 'Description' },
  { key: 'modalities', label: 'Modalities' },
  { key: 'seriesCount', label: 'Series', className: 'num' },
  { key: 'instanceCount', label: 'Instances', className: 'num' },
  { key: 'reportStatus', label: 'Report' },
];

const VERDICT_WORDS: Record<NonNullable<Study['verdict']>, string> = { concordant: 'concordant', minor: 'minor', major: 'major' };

/** The report column's marks, for its colour and for tests. */
function reportMarks(study: Study, key: keyof Study): Record<string, string> {
  return key === 'reportStatus' ? { 'data-report-status': study.reportStatus, 'data-verdict': study.verdict ?? 'none' } : {};
}

function cell(study: Study, key: keyof Study): string {
  const value = study[key];
  if (key === 'patientName') {
    // The local patient's name: a study received under another identity of the same person shows it too.
    return formatPersonName(study.localPatientName) || '(no name)';
  }
  if (key === 'studyDescription') {
    return formatHeaderText(String(value));
  }
  if (key === 'patientBirthDate' || key === 'studyDate') {
    return formatDicomDate(String(value));
  }
  if (Array.isArray(value)) {
    return value.join(', ');
  }
  if (key === 'reportStatus') {
    // One column for both, so the description keeps its room: "signed · major".
    return study.verdict ? `${study.reportStatus} · ${VERDICT_WORDS[study.verdict]}` : study.reportStatus;
  }
  return plainText(String(value));
}

const UNLINKED_TITLE = 'not yet reconciled: open link proposals for this identity (see the patient page)';

/** A cell's whole value, shown when the pointer rests on it (cells cut long text with an ellipsis). */
function cellTitle(study: Study, key: keyof Study): string {
  if (key === 'patientName') {
    const received = formatPersonName(study.patientName) || '(no name)';
    const name = cell(study, key);
    const asReceived = received === name ? '' : ` (received as ${received})`;
    return study.openProposals > 0 ? `${name}${asReceived}: ${UNLINKED_TITLE}` : `${name}${asReceived}`;
  }
  if (key === 'reportStatus') {
    const verdict = study.verdict ? `confirmed concordance verdict: ${VERDICT_WORDS[study.verdict]}` : 'no confirmed concordance verdict';
    return `second-opinion report: ${study.reportStatus}; ${verdict}`;
  }
  if (key === 'instanceCount' && study.nonImageInstanceCount > 0) {
    return `${study.instanceCount} instances, ${study.nonImageInstanceCount} of them not images (reports, documents)`;
  }
  return cell(study, key);
}

/** Studies as plain text: header values are untrusted and React renders them as text only. */
export function StudyList({ studies, caption, onOpen, onSelect }: Props): ReactElement {
  const [sort, setSort] = useState<{ key: keyof Study; descending: boolean } | null>(null);
  const [selected, setSelected] = useState(0);
  // A long worklist renders only the rows in view (and a margin): 100,000 studies scroll as fast as 50.
  const [scrollTop, setScrollTop] = useState(0);
  const windowed = studies.length > WINDOW_THRESHOLD;
  const rows = useMemo(() => {
    if (!sort) {
      return studies;
    }
    const text = (s: Study): string =>
      sort.key === 'patientName' ? s.localPatientName : Array.isArray(s[sort.key]) ? (s[sort.key] as string[]).join(',') : String(s[sort.key]);
    const sorted = [...studies].sort((a, b) =>
      typeof a[sort.key] === 'number' ? (a[sort.key] as number) - (b[sort.key] as number) : text(a).localeCompare(text(b)),
    );
    return sort.descending ? sorted.reverse() : sorted;
  }, [studies, sort]);

  const first = windowed ? Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN) : 0;
  const last = windowed ? Math.min(rows.length, first + VISIBLE_ROWS + 2 * OVERSCAN) : rows.length;
  const onScroll = (event: UIEvent<HTMLDivElement>): void => setScrollTop(event.currentTarget.scrollTop);

  const select = (index: number): void => {
    const bounded = Math.max(0, Math.min(rows.length - 1, index));
    setSelected(bounded);
    const study = rows[bounded];
    if (study) {
      onSelect?.(study);
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>): void => {
    if (!onOpen) {
      return;
    }
    if (event.key === 'ArrowDown') {
      select(selected + 1);
    } else if (event.key === 'ArrowUp') {
      select(selected - 1);
    } else if (event.key === 'Enter' && rows[selected]) {
      onOpen(rows[selected]);
    } else {
      return;
    }
    event.preventDefault();
  };

  const table = (
    <table className="studies" aria-label={caption} aria-rowcount={rows.length} tabIndex={onOpen ? 0 : undefined} onKeyDown={onKeyDown}>
      <thead>
        <tr>
          {COLUMNS.map((column) => (
            <th key={column.key} data-column={column.key} aria-sort={sort?.key === column.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
              <button
                type="button"
                className="sort"
                onClick={() => setSort((current) => ({ key: column.key, descending: current?.key === column.key ? !current.descending : false }))}
              >
                {column.label}
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {first > 0 && <tr aria-hidden="true" style={{ height: first * ROW_HEIGHT }} />}
        {rows.slice(first, last).map((study, offset) => {
          const index = first + offset;
          return (
          <tr
            key={study.studyInstanceUid}
            data-study-uid={study.studyInstanceUid}
            aria-selected={onOpen ? index === selected : undefined}
            className={onOpen && index === selected ? 'selected' : undefined}
            onClick={() => onOpen && select(index)}
            onDoubleClick={() => onOpen?.(study)}
          >
            {COLUMNS.map((column) => (
              <td key={column.key} data-column={column.key} className={column.className} title={cellTitle(study, column.key)} {...reportMarks(study, column.key)}>
                {column.key === 'patientName' && study.openProposals > 0 && (
                  <span className="unlinked-mark" data-unlinked aria-label={UNLINKED_TITLE}>
                    ?
                  </span>
                )}
                {/* Header text is isolated: a right-to-left name cannot reorder the cells' other text. */}
                <bdi>{cell(study, column.key)}</bdi>
              </td>
            ))}
          </tr>
          );
        })}
        {last < rows.length && <tr aria-hidden="true" style={{ height: (rows.length - last) * ROW_HEIGHT }} />}
        {rows.length === 0 && (
          <tr>
            <td colSpan={COLUMNS.length} className="empty">
              No studies yet.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
  return windowed ? (
    <div className="worklist-scroll" data-worklist onScroll={onScroll}>
      {table}
    </div>
  ) : (
    <div className="worklist-wide" data-worklist>
      {table}
    </div>
  );
}
