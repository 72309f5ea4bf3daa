import { BIRADS_CATEGORIES } from './birads.ts';
import type { BiradsCategory } from './birads.ts';
import type { OutcomeSupport } from './report-logic.ts';

/**
 * The concordance overview: how often the second opinions agreed with the outside reports, by
 * modality, outside facility and period, the matrix of outside against second-opinion categories,
 * the rates over time, and for discordant cases which reading the outcomes supported. Counts only
 * signed reports with a confirmed verdict: a draft's verdict may still change.
 */

export const OVERVIEW_GROUPINGS = ['modality', 'facility', 'period'] as const;
export type OverviewGrouping = (typeof OVERVIEW_GROUPINGS)[number];
export type Verdict = 'concordant' | 'minor' | 'major';

export interface OverviewCase {
  /** Imaging modalities of the study, e.g. ['MG']. */
  modalities: string[];
  /** The outside facility as recorded in the report; empty when not recorded. */
  facility: string;
  /** ISO time the report was signed: its period. */
  signedAt: string;
  verdict: Verdict;
  outsideAssessment: BiradsCategory | null;
  secondOpinionAssessment: BiradsCategory | null;
  /** What each recorded outcome supported (null: the outcome said nothing either way). */
  outcomeSupports: (OutcomeSupport | null)[];
}

export interface VerdictCounts {
  key: string;
  total: number;
  concordant: number;
  minor: number;
  major: number;
  /** Shares of total, 0 to 1 (0 when total is 0). */
  concordantRate: number;
  minorRate: number;
  majorRate: number;
}

export interface ConcordanceOverview {
  groupBy: OverviewGrouping;
  all: VerdictCounts;
  groups: VerdictCounts[];
  /** Months (YYYY-MM), oldest first: the rates over time. */
  timeSeries: VerdictCounts[];
  /** Outside category against second-opinion category; '-' where a reading has none. */
  matrix: { outside: string; secondOpinion: string; count: number }[];
  /** For discordant (minor or major) cases: the outcomes by the reading they supported. */
  discordantOutcomes: Record<OutcomeSupport, number>;
}

/** Modalities that are not images of the patient name a study's kind only when it has nothing else. */
const NOT_IMAGING = new Set(['SR', 'PR', 'KO', 'DOC', 'REG', 'SEG', 'OT', 'RWV', 'AU', 'ECG']);

function modalityKey(modalities: string[]): string {
  const all = [...new Set(modalities)].sort();
  const imaging = all.filter((m) => !NOT_IMAGING.has(m));
  return (imaging.length > 0 ? imaging : all).join('+') || '(none)';
}

function periodKey(signedAt: string): string {
  return /^\d{4}-\d{2}/.test(signedAt) ? signedAt.slice(0, 7) : '(unknown)';
}

function keyOf(item: OverviewCase, groupBy: OverviewGrouping): string {
  if (groupBy === 'modality') {
    return modalityKey(item.modalities);
  }
  if (groupBy === 'facility') {
    return item.facility.trim() || '(not recorded)';
  }
  return periodKey(item.signedAt);
}

function counts(key: string, items: OverviewCase[]): VerdictCounts {
  const total = items.length;
  const of = (verdict: Verdict): number => items.filter((item) => item.verdict === verdict).length;
  const rate = (n: number): number => (total === 0 ? 0 : n / total);
  const concordant = of('concordant');
  const minor = of('minor');
  const major = of('major');
  return { key, total, concordant, minor, major, concordantRate: rate(concordant), minorRate: rate(minor), majorRate: rate(major) };
}

function groupCounts(cases: OverviewCase[], key: (item: OverviewCase) => string): VerdictCounts[] {
  const groups = new Map<string, OverviewCase[]>();
  for (const item of cases) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, items]) => counts(k, items));
}

const CATEGORY_ORDER = ['-', ...BIRADS_CATEGORIES];

export function concordanceOverview(cases: OverviewCase[], groupBy: OverviewGrouping): ConcordanceOverview {
  const cells = new Map<string, { outside: string; secondOpinion: string; count: number }>();
  for (const item of cases) {
    const outside = item.outsideAssessment ?? '-';
    const secondOpinion = item.secondOpinionAssessment ?? '-';
    const cell = cells.get(`${outside}|${secondOpinion}`) ?? { outside, secondOpinion, count: 0 };
    cell.count += 1;
    cells.set(`${outside}|${secondOpinion}`, cell);
  }
  const rank = (category: string): number => CATEGORY_ORDER.indexOf(category);
  const matrix = [...cells.values()].sort((a, b) => rank(a.outside) - rank(b.outside) || rank(a.secondOpinion) - rank(b.secondOpinion));
  const discordantOutcomes: Record<OutcomeSupport, number> = { outside: 0, 'second-opinion': 0, both: 0, neither: 0 };
  for (const item of cases.filter((c) => c.verdict !== 'concordant')) {
    for (const support of item.outcomeSupports) {
      if (support !== null) {
        discordantOutcomes[support] += 1;
      }
    }
  }
  return {
    groupBy,
    all: counts('all', cases),
    groups: groupCounts(cases, (item) => keyOf(item, groupBy)),
    timeSeries: groupCounts(cases, (item) => periodKey(item.signedAt)),
    matrix,
    discordantOutcomes,
  };
}

/** A CSV field: quoted, and a leading =, +, - or @ neutralised so a spreadsheet never runs typed text. */
function csvField(value: string | number): string {
  const text = typeof value === 'number' ? String(value) : /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) || text !== String(value) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The overview as one CSV table: a section column says whether a row is a group, a month or a matrix cell. */
export function overviewCsv(overview: ConcordanceOverview): string {
  const header = ['section', 'key', 'total', 'concordant', 'minor', 'major', 'concordant_rate', 'minor_rate', 'major_rate'];
  const row = (section: string, c: VerdictCounts): string[] =>
    [section, c.key, c.total, c.concordant, c.minor, c.major, c.concordantRate.toFixed(3), c.minorRate.toFixed(3), c.majorRate.toFixed(3)].map(csvField);
  const lines = [
    header,
    row('all', overview.all),
    ...overview.groups.map((c) => row(overview.groupBy, c)),
    ...overview.timeSeries.map((c) => row('month', c)),
    ...overview.matrix.map((cell) => ['matrix', `outside ${cell.outside} / second opinion ${cell.secondOpinion}`, cell.count, '', '', '', '', '', ''].map(csvField)),
  ];
  return `${lines.map((line) => line.join(',')).join('\r\n')}\r\n`;
}

/** The report and study behind a counted case: what the list a count opens shows, and opens. */
export interface CaseReference {
  reportId: number;
  studyInstanceUid: string;
  /** Header text as received (untrusted). */
  patientName: string;
  patientId: string;
  /** DICOM DA of the study. */
  studyDate: string;
  /** The reader profile that signed the report, and its name as signed. */
  readerId: string;
  readerName: string;
}

export type OverviewCaseRecord = OverviewCase & CaseReference;

/**
 * Which cases to count: signed from and to (local calendar dates YYYY-MM-DD, both included) and by
 * one reader (a reader profile id). Absent fields do not filter.
 */
export interface OverviewFilter {
  from?: string;
  to?: string;
  reader?: string;
}

/** The local calendar date (YYYY-MM-DD) of an ISO time, in the zone of whoever reads it. */
export function localDateOf(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) {
    return '';
  }
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}`;
}

/** The cases the filter keeps. */
export function filterCases<T extends OverviewCase & { readerId: string }>(cases: readonly T[], filter: OverviewFilter): T[] {
  return cases.filter((item) => {
    const day = localDateOf(item.signedAt);
    return (!filter.from || day >= filter.from) && (!filter.to || day <= filter.to) && (!filter.reader || item.readerId === filter.reader);
  });
}

/**
 * One count on the overview page: all reports, a group (modality, facility or period) or a month,
 * optionally one verdict of it; a matrix cell; or the discordant cases an outcome supported one way.
 */
export type CountSelection =
  | { section: 'all'; verdict?: Verdict }
  | { section: 'group' | 'month'; key: string; verdict?: Verdict }
  | { section: 'matrix'; outside: string; secondOpinion: string }
  | { section: 'outcome'; support: OutcomeSupport };

/** The cases behind one count, by the same keys the overview counted them with. */
export function casesBehind<T extends OverviewCase>(cases: readonly T[], groupBy: OverviewGrouping, selection: CountSelection): T[] {
  switch (selection.section) {
    case 'all':
    case 'group':
    case 'month': {
      const inSection = (item: T): boolean =>
        selection.section === 'all' ||
        (selection.section === 'group' ? keyOf(item, groupBy) : periodKey(item.signedAt)) === selection.key;
      return cases.filter((item) => inSection(item) && (selection.verdict === undefined || item.verdict === selection.verdict));
    }
    case 'matrix':
      return cases.filter(
        (item) => (item.outsideAssessment ?? '-') === selection.outside && (item.secondOpinionAssessment ?? '-') === selection.secondOpinion,
      );
    case 'outcome':
      return cases.filter((item) => item.verdict !== 'concordant' && item.outcomeSupports.includes(selection.support));
  }
}
