import { LOCATION_LABELS } from './lexicon.ts';
import type { ReportContent, ReportFinding } from './report-model.ts';

/**
 * What a draft's fields may hold, checked where the reader types them and again before signing. A
 * value that fails is kept as typed in the draft's `invalidEntries` (the field itself stays empty), so
 * one typo never stops the rest of the draft from saving and nothing typed is lost; signing lists every
 * such entry and every contradiction (a clock face against the quadrant) and is refused until they are
 * resolved. Pure: the same in the pane, on the server and on the command line.
 */

export type Side = 'R' | 'L';
export type Quadrant = NonNullable<ReportFinding['location']['quadrant']>;

export interface NumberRule {
  kind: 'number';
  min: number;
  max: number;
  /** Whole numbers only (clock hours). */
  integer?: boolean;
  unit: string;
}
export interface DateRule {
  kind: 'date';
}
export type FieldRule = NumberRule | DateRule;

/** What a typed text stands for: the value to store (null or '' when none), or why it cannot be. */
export interface Checked<T> {
  value: T;
  problem: string | null;
}

const NUMBER = /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$/;

/** A number as a reader types it: a decimal comma reads as a decimal point ("9,5" is 9.5); null when not a number. */
export function parseDecimal(text: string): number | null {
  const trimmed = text.trim();
  if (!NUMBER.test(trimmed)) {
    return null;
  }
  const value = Number(trimmed.replace(',', '.'));
  return Number.isFinite(value) ? value : null;
}

function bounds(rule: NumberRule): string {
  return `${rule.integer ? 'a whole number' : 'a number'} from ${rule.min} to ${rule.max}${rule.unit ? ` ${rule.unit}` : ''}`;
}

/** A number field's text: empty is "not recorded" (null, no problem). */
export function checkNumberText(text: string, rule: NumberRule): Checked<number | null> {
  if (text.trim() === '') {
    return { value: null, problem: null };
  }
  const value = parseDecimal(text);
  if (value === null) {
    return { value: null, problem: `not a number: expected ${bounds(rule)}` };
  }
  if (rule.integer && !Number.isInteger(value)) {
    return { value: null, problem: `not a whole number: expected ${bounds(rule)}` };
  }
  if (value < rule.min || value > rule.max) {
    return { value: null, problem: `out of range: expected ${bounds(rule)}` };
  }
  return { value, problem: null };
}

/** Today's date where the code runs, as YYYYMMDD (the reader's calendar, not UTC's). */
export function localToday(now: Date = new Date()): string {
  return `${String(now.getFullYear()).padStart(4, '0')}${String(now.getMonth() + 1).padStart(2, '0')}${String(now.getDate()).padStart(2, '0')}`;
}

const EARLIEST_YEAR = 1900;

/**
 * A date as the browser's date control gives it (YYYY-MM-DD, any number of year digits) or as DICOM
 * stores it (YYYYMMDD): the DICOM date to store ('' when empty), or why it is not a plausible one.
 * `today` is YYYYMMDD: a report cannot be dated after it.
 */
export function checkDateText(text: string, today: string): Checked<string> {
  const trimmed = text.trim();
  if (trimmed === '') {
    return { value: '', problem: null };
  }
  const match = /^(\d+)-(\d{1,2})-(\d{1,2})$/.exec(trimmed) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(trimmed);
  if (!match) {
    return { value: '', problem: 'not a date: expected year, month and day' };
  }
  const [yearText, monthText, dayText] = [match[1] as string, match[2] as string, match[3] as string];
  if (yearText.length !== 4) {
    return { value: '', problem: `the year has ${yearText.length} digits: expected 4` };
  }
  const [year, month, day] = [Number(yearText), Number(monthText), Number(dayText)];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) {
    return { value: '', problem: 'no such day in the calendar' };
  }
  const value = `${yearText}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
  if (year < EARLIEST_YEAR) {
    return { value: '', problem: `before ${EARLIEST_YEAR}: check the year` };
  }
  if (value > today) {
    return { value: '', problem: 'in the future: check the date' };
  }
  return { value, problem: null };
}

export const CLOCK_RULE: NumberRule = { kind: 'number', min: 1, max: 12, integer: true, unit: "o'clock" };
export const SIZE_RULE: NumberRule = { kind: 'number', min: 0.1, max: 500, unit: 'mm' };
export const DISTANCE_RULE: NumberRule = { kind: 'number', min: 0, max: 40, unit: 'cm' };
export const EXTENT_RULE: NumberRule = { kind: 'number', min: 0.1, max: 100, unit: 'cm' };
export const DATE_RULE: DateRule = { kind: 'date' };

/** The rule of each field an entry can be kept for, by the last part of its key. */
const RULES_BY_NAME: Record<string, FieldRule> = {
  date: DATE_RULE,
  clock: CLOCK_RULE,
  sizeMm: SIZE_RULE,
  distanceFromNippleCm: DISTANCE_RULE,
  extentCm: EXTENT_RULE,
};

/**
 * The keys of the fields whose typed text is kept when invalid: the content path, findings named by
 * their id (not their place in the list, which changes when one is removed).
 */
export const entryKeys = {
  outsideDate: 'outside.date',
  outsideExtent: 'outside.facts.extentCm',
  outsideFinding: (id: string, name: 'clock' | 'sizeMm') => `outside.facts.findings.${id}.${name}`,
  extent: 'secondOpinion.extentCm',
  finding: (id: string, name: 'clock' | 'sizeMm' | 'distanceFromNippleCm') => `secondOpinion.findings.${id}.${name}`,
} as const;

const FIELD_WORDS: Record<string, string> = {
  date: 'date',
  clock: 'clock face',
  sizeMm: 'size (mm)',
  distanceFromNippleCm: 'distance from the nipple (cm)',
  extentCm: 'extent (cm)',
};

export function ruleOfEntry(key: string): FieldRule | null {
  return RULES_BY_NAME[key.split('.').pop() ?? ''] ?? null;
}

/** A person's words for an entry's field: "outside report: date", "finding F1: size (mm)". */
export function entryLabel(key: string): string {
  const parts = key.split('.');
  const name = FIELD_WORDS[parts.at(-1) ?? ''] ?? parts.at(-1) ?? key;
  const finding = /^(outside\.facts|secondOpinion)\.findings\.([^.]+)\./.exec(key);
  if (finding) {
    return `${finding[1] === 'outside.facts' ? 'outside finding' : 'finding'} ${finding[2]}: ${name}`;
  }
  return `${key.startsWith('outside.') ? 'outside report' : 'second opinion'}: ${name}`;
}

/** Checks a typed text against a field's rule; the value as text is not needed here, only the problem. */
export function problemOfText(rule: FieldRule, text: string, today: string): string | null {
  return rule.kind === 'date' ? checkDateText(text, today).problem : checkNumberText(text, rule).problem;
}

/** The draft with `key`'s kept text set (the field's text did not pass) or removed (it did, or it is empty). */
export function withEntry(content: ReportContent, key: string, typed: string | null): ReportContent {
  const entries = { ...content.invalidEntries };
  if (typed === null || typed.trim() === '') {
    if (!(key in entries)) {
      return content;
    }
    delete entries[key];
  } else {
    entries[key] = typed;
  }
  return { ...content, invalidEntries: entries };
}

/** Entries of findings that no longer exist are dropped with them. */
export function withoutOrphanEntries(content: ReportContent): ReportContent {
  const entries = content.invalidEntries;
  if (!entries) {
    return content;
  }
  const outsideIds = new Set((content.outside.facts.findings ?? []).map((finding) => finding.id));
  const ids = new Set(content.secondOpinion.findings.map((finding) => finding.id));
  const kept = Object.entries(entries).filter(([key]) => {
    const finding = /^(outside\.facts|secondOpinion)\.findings\.([^.]+)\./.exec(key);
    return !finding || (finding[1] === 'outside.facts' ? outsideIds : ids).has(finding[2] as string);
  });
  return kept.length === Object.keys(entries).length ? content : { ...content, invalidEntries: Object.fromEntries(kept) };
}

/**
 * The quadrants a clock position on one breast lies in. Facing the patient, 9 o'clock is lateral on the
 * right breast and medial on the left; 3 o'clock the other way round. A position on an axis (12, 3, 6,
 * 9) borders two quadrants and belongs to either. The axillary tail extends the upper outer quadrant.
 */
export function quadrantsOfClock(side: Side, clock: number): Quadrant[] {
  const outerOnRight = (hour: number): boolean => hour >= 7 && hour <= 11;
  const innerOnRight = (hour: number): boolean => hour >= 1 && hour <= 5;
  const lateral = side === 'R' ? outerOnRight : innerOnRight;
  const medial = side === 'R' ? innerOnRight : outerOnRight;
  const upper = clock >= 9 || clock <= 3;
  const lower = clock >= 3 && clock <= 9;
  const onLateralAxis = side === 'R' ? clock === 9 : clock === 3;
  const onMedialAxis = side === 'R' ? clock === 3 : clock === 9;
  const outer = lateral(clock) || onLateralAxis || clock === 12 || clock === 6;
  const inner = medial(clock) || onMedialAxis || clock === 12 || clock === 6;
  const lies: [Quadrant, boolean][] = [
    ['UOQ', upper && outer],
    ['UIQ', upper && inner],
    ['LOQ', lower && outer],
    ['LIQ', lower && inner],
  ];
  return lies.filter(([, inside]) => inside).map(([quadrant]) => quadrant);
}

/** Quadrants a clock position says nothing against: the central and subareolar regions lie round the nipple. */
const ANY_CLOCK: readonly Quadrant[] = ['subareolar', 'central'];

/** Why a side, clock position and quadrant contradict each other; null when they agree or one is missing. */
export function clockQuadrantConflict(side: Side, clock: number | null, quadrant: Quadrant | null): string | null {
  if (clock === null || quadrant === null || ANY_CLOCK.includes(quadrant)) {
    return null;
  }
  const quadrants = quadrantsOfClock(side, clock);
  const wanted = quadrant === 'axillary-tail' ? 'UOQ' : quadrant;
  if (quadrants.includes(wanted)) {
    return null;
  }
  const where = quadrants.map((q) => LOCATION_LABELS.quadrant[q]).join(' or ');
  return `${LOCATION_LABELS.laterality[side]} breast at ${clock} o'clock is the ${where}, not the ${LOCATION_LABELS.quadrant[quadrant]}`;
}

export interface DraftProblem {
  /** The entry key or content path of the field. */
  field: string;
  label: string;
  /** What the field holds, as typed. */
  value: string;
  reason: string;
  kind: 'invalid' | 'contradiction';
}

/** One line for a problem: `outside report: date "20231-05-04": the year has 5 digits: expected 4`. */
export function problemText(problem: DraftProblem): string {
  return `${problem.label} "${problem.value}": ${problem.reason}`;
}

/**
 * Every invalid or contradictory value of a draft, as signing lists them: the kept entries (each
 * checked again for its reason), dates that are not plausible (from the command line, which bypasses the
 * pane), and findings whose clock face contradicts their quadrant.
 */
export function draftProblems(content: ReportContent, today: string): DraftProblem[] {
  const problems: DraftProblem[] = [];
  for (const [key, typed] of Object.entries(withoutOrphanEntries(content).invalidEntries ?? {})) {
    const rule = ruleOfEntry(key);
    const reason = rule ? (problemOfText(rule, typed, today) ?? 'typed but not taken into the report: type it again') : 'not a field of the report';
    problems.push({ field: key, label: entryLabel(key), value: typed, reason, kind: 'invalid' });
  }
  if (content.outside.date !== '' && !(entryKeys.outsideDate in (content.invalidEntries ?? {}))) {
    const reason = checkDateText(content.outside.date, today).problem;
    if (reason) {
      problems.push({ field: entryKeys.outsideDate, label: entryLabel(entryKeys.outsideDate), value: content.outside.date, reason, kind: 'invalid' });
    }
  }
  for (const finding of content.secondOpinion.findings) {
    const { laterality, clock, quadrant } = finding.location;
    const conflict = clockQuadrantConflict(laterality, clock, quadrant);
    if (conflict) {
      const value = `${LOCATION_LABELS.laterality[laterality]}, ${clock} o'clock, ${quadrant ? LOCATION_LABELS.quadrant[quadrant] : ''}`;
      problems.push({ field: `secondOpinion.findings.${finding.id}.location`, label: `finding ${finding.id}: location`, value, reason: conflict, kind: 'contradiction' });
    }
  }
  return problems;
}
