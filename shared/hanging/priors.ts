import { identifyMammo } from './mammo-identify.ts';
import type { HangingStudy } from './model.ts';
import type { PriorRule } from './protocol.ts';

/**
 * Which earlier study hangs beside the current one (domain reference b.4). Neither OHIF nor the
 * Hanging Protocol IOD defines this, so the rule is ours: the most recent study at least nine months
 * older (a screening interval), falling back to the most recent; or the one nearest two years back.
 */
export type PriorGroup = { kind: 'mammo' } | { kind: 'mr' } | { kind: 'modality'; modalities: string[] };

export interface PriorCandidate {
  study: HangingStudy;
  /** Days since 1970-01-01 of the study date; null when undated. */
  day: number | null;
}

export interface PriorChoice {
  /** Earlier studies that can be priors: dated ones newest first, then undated ones. */
  candidates: PriorCandidate[];
  chosen: PriorCandidate | null;
  reason: string;
  warnings: string[];
}

const DAY_MS = 86_400_000;

/** DICOM DA as a day number; null when it is not a real date. */
export function studyDay(date: string): number | null {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(date.trim());
  if (!match) {
    return null;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const back = new Date(time);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    return null;
  }
  return Math.round(time / DAY_MS);
}

/** The same day `months` calendar months earlier (clamped to the month's end). */
function monthsBefore(day: number, months: number): number {
  const date = new Date(day * DAY_MS);
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return Math.round(target.getTime() / DAY_MS);
}

function formatDate(date: string): string {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(date.trim());
  return match ? `${match[1]}-${match[2]}-${match[3]}` : 'unknown date';
}

function modalitiesOf(study: HangingStudy): Set<string> {
  return new Set([...study.modalities, ...study.instances.map((instance) => instance.modality)].map((modality) => modality.trim().toUpperCase()));
}

function bodyParts(study: HangingStudy): Set<string> {
  return new Set(study.instances.map((instance) => instance.bodyPartExamined.trim().toUpperCase()).filter(Boolean));
}

/** Whether a study can be compared with the current one under this group. */
export function matchesGroup(study: HangingStudy, group: PriorGroup, current: HangingStudy): boolean {
  const modalities = modalitiesOf(study);
  if (group.kind === 'mammo') {
    return modalities.has('MG') || study.instances.some((instance) => identifyMammo(instance).breastImage);
  }
  if (group.kind === 'mr') {
    if (!modalities.has('MR')) {
      return false;
    }
    // Same body region when both studies say; a missing Body Part Examined does not exclude a study.
    const mine = bodyParts(current);
    const theirs = bodyParts(study);
    return mine.size === 0 || theirs.size === 0 || [...theirs].some((part) => mine.has(part));
  }
  return group.modalities.some((modality) => modalities.has(modality.toUpperCase()));
}

export function priorCandidates(current: HangingStudy, others: HangingStudy[], group: PriorGroup): PriorCandidate[] {
  const currentDay = studyDay(current.studyDate);
  const matching = others
    .filter((study) => study.studyInstanceUid !== current.studyInstanceUid && matchesGroup(study, group, current))
    .map((study) => ({ study, day: studyDay(study.studyDate) }));
  // Studies dated after the current one are later follow-ups, never priors; the same day is not earlier either.
  const dated = matching
    .filter((candidate): candidate is { study: HangingStudy; day: number } => candidate.day !== null && (currentDay === null || candidate.day < currentDay))
    .sort((a, b) => b.day - a.day);
  const undated = matching.filter((candidate) => candidate.day === null);
  return [...dated, ...undated];
}

function monthsBetween(later: number, earlier: number): number {
  return Math.round((later - earlier) / 30.44);
}

function pickByRule(dated: { study: HangingStudy; day: number }[], currentDay: number, rule: PriorRule): { chosen: PriorCandidate; reason: string } {
  const describe = (candidate: { study: HangingStudy; day: number }): string =>
    `${formatDate(candidate.study.studyDate)}, ${monthsBetween(currentDay, candidate.day)} months before the current study`;
  const newest = dated[0] as { study: HangingStudy; day: number };
  if (rule === 'most-recent') {
    return { chosen: newest, reason: `Most recent earlier study (${describe(newest)}).` };
  }
  if (rule === 'oldest') {
    const oldest = dated[dated.length - 1] as { study: HangingStudy; day: number };
    return { chosen: oldest, reason: `Oldest earlier study (${describe(oldest)}).` };
  }
  if (rule === 'two-years') {
    const aim = monthsBefore(currentDay, 24);
    const closest = dated.reduce((best, candidate) => (Math.abs(candidate.day - aim) < Math.abs(best.day - aim) ? candidate : best));
    return { chosen: closest, reason: `Earlier study closest to two years before the current one (${describe(closest)}).` };
  }
  const cutoff = monthsBefore(currentDay, 9);
  const interval = dated.find((candidate) => candidate.day <= cutoff);
  if (interval) {
    return { chosen: interval, reason: `Most recent earlier study at least 9 months older (${describe(interval)}).` };
  }
  return { chosen: newest, reason: `No earlier study is 9 months older; the most recent one is used (${describe(newest)}).` };
}

export function choosePrior(current: HangingStudy, candidates: PriorCandidate[], rule: PriorRule, requestedUid?: string): PriorChoice {
  const warnings: string[] = [];
  if (requestedUid !== undefined) {
    const requested = candidates.find((candidate) => candidate.study.studyInstanceUid === requestedUid);
    if (requested) {
      const when = requested.day === null ? 'its date is unknown' : formatDate(requested.study.studyDate);
      return { candidates, chosen: requested, reason: `Chosen by the reader (${when}).`, warnings };
    }
    warnings.push(`The requested prior ${requestedUid.slice(0, 64)} is not an earlier comparable study of this patient; the ${rule} rule applies.`);
  }
  const undatedCount = candidates.filter((candidate) => candidate.day === null).length;
  if (undatedCount > 0) {
    warnings.push(`${undatedCount} comparable ${undatedCount === 1 ? 'study has' : 'studies have'} no date: never chosen automatically; pick ${undatedCount === 1 ? 'it' : 'one'} by hand.`);
  }
  const currentDay = studyDay(current.studyDate);
  const dated = candidates.filter((candidate): candidate is { study: HangingStudy; day: number } => candidate.day !== null);
  if (candidates.length === 0) {
    return { candidates, chosen: null, reason: 'No earlier comparable study.', warnings };
  }
  if (currentDay === null) {
    return { candidates, chosen: null, reason: 'The current study date is unknown, so no earlier study can be told apart; pick a prior by hand.', warnings };
  }
  if (dated.length === 0) {
    return { candidates, chosen: null, reason: 'Every comparable study has an unknown date; pick a prior by hand.', warnings };
  }
  const picked = pickByRule(dated, currentDay, rule);
  return { candidates, chosen: picked.chosen, reason: picked.reason, warnings };
}
