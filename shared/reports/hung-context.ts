import { formatHeaderText } from '../dicom/display-text.ts';
import { formatDicomDateTime } from './format.ts';
import type { SecondOpinion } from './report-model.ts';

/**
 * What a report can take from the hanging it is written beside: the prior Concord hung (its date and
 * facility) for the comparison, and the current study's acquired views for the technique. Words only
 * what was hung; "none" only when no prior was hung. Header text is untrusted: it is cleaned and cut.
 */

export interface HungStudy {
  studyInstanceUid: string;
  /** DICOM DA. */
  studyDate: string;
  /** Institution Name as received. */
  facility: string;
}

export interface HungContext {
  current: HungStudy;
  /** The prior hung beside it; null when there was none to hang. */
  prior: HungStudy | null;
  /** MG, MR, ...: the modality the stage hangs. */
  modality: string;
  /** The current study's acquired views as readers name them ("RCC", "LMLO", "T2 ax"), in order. */
  views: string[];
}

const FACILITY_LIMIT = 80;

function facilityText(facility: string): string {
  const plain = formatHeaderText(facility);
  return plain.length > FACILITY_LIMIT ? `${plain.slice(0, FACILITY_LIMIT - 1)}…` : plain;
}

function dateText(date: string): string {
  return date ? formatDicomDateTime(date, 'DATE') : 'unknown date';
}

/** "of 2025-09-30 from Lakeview Imaging" (the parts known). */
function studyText(study: HungStudy): string {
  const facility = facilityText(study.facility);
  return `of ${dateText(study.studyDate)}${facility ? ` from ${facility}` : ''}`;
}

const EXAMINATION: Record<string, string> = { MG: 'mammogram', MR: 'breast MRI' };

export function comparisonFromHanging(context: HungContext): string {
  if (!context.prior) {
    return 'None: no prior examination was available to hang.';
  }
  return `Prior ${EXAMINATION[context.modality] ?? 'examination'} ${studyText(context.prior)}, compared side by side.`;
}

export function techniqueFromHanging(context: HungContext): string {
  const views = [...new Set(context.views)];
  const both = views.some((view) => view.startsWith('R')) && views.some((view) => view.startsWith('L'));
  const what = context.modality === 'MG' ? `${both ? 'Bilateral digital' : 'Digital'} mammography` : context.modality === 'MR' ? 'Breast MRI' : `${formatHeaderText(context.modality) || 'Imaging'} examination`;
  const list = views.length > 0 ? `: ${views.slice(0, 24).map((view) => formatHeaderText(view)).join(', ')}` : '';
  return `${what} ${studyText(context.current)}${list}.`;
}

/**
 * The second opinion's fields the hanging fills where the reader has not: comparison, technique,
 * the prior compared, and whether priors were available. Null when there is nothing to fill.
 */
export function prefillFromHanging(opinion: SecondOpinion, context: HungContext): Partial<SecondOpinion> | null {
  const change: Partial<SecondOpinion> = {};
  if (opinion.comparison.trim() === '') {
    change.comparison = comparisonFromHanging(context);
  }
  if (opinion.technique.trim() === '') {
    change.technique = techniqueFromHanging(context);
  }
  if (context.prior && opinion.priorStudyUids.length === 0) {
    change.priorStudyUids = [context.prior.studyInstanceUid];
  }
  if (opinion.priorsAvailable === null) {
    change.priorsAvailable = context.prior !== null;
  }
  return Object.keys(change).length > 0 ? change : null;
}
