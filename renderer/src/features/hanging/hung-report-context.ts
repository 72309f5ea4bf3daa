import type { ResolvedLayout } from '../../../../shared/hanging/layout.ts';
import { MAMMO_VIEWS } from '../../../../shared/hanging/protocol.ts';
import type { HungContext } from '../../../../shared/reports/hung-context.ts';
import type { StudyDetail } from './hung-state.ts';

const VIEW_ORDER: readonly string[] = MAMMO_VIEWS;

/** "RCC", "LMLO": the current study's mammograms by their headers, CC before MLO, right before left. */
function mammoViews(detail: StudyDetail): string[] {
  const views = detail.series
    .filter((series) => series.modality === 'MG')
    .flatMap((series) => series.instances)
    .filter((instance) => instance.displayable && /^[RL]$/.test(instance.imageLaterality) && VIEW_ORDER.includes(instance.viewPosition))
    .map((instance) => ({ side: instance.imageLaterality, view: instance.viewPosition }));
  views.sort((a, b) => VIEW_ORDER.indexOf(a.view) - VIEW_ORDER.indexOf(b.view) || (a.side === b.side ? 0 : a.side === 'R' ? -1 : 1));
  return [...new Set(views.map(({ side, view }) => `${side}${view}`))];
}

/**
 * What the report takes from the stage on screen: the current study, the prior hung beside it, the
 * modality and the acquired views (from the headers; else the labels of the current study's cells).
 * Null until the layout and the current study's details are here, or when the layout is another study's.
 */
export function hungContextOf(layout: ResolvedLayout | null, details: Record<string, StudyDetail>, studyInstanceUid: string): HungContext | null {
  const detail = details[studyInstanceUid];
  const currentSlots = layout?.slots.filter((slot) => slot.role === 'current' && slot.studyInstanceUid === studyInstanceUid) ?? [];
  if (!layout || !detail || currentSlots.length === 0) {
    return null;
  }
  const modality = detail.study.modalities.includes('MG') ? 'MG' : detail.study.modalities.includes('MR') ? 'MR' : (detail.study.modalities[0] ?? '');
  const fromHeaders = modality === 'MG' ? mammoViews(detail) : [];
  const fromCells = currentSlots.filter((slot) => slot.empty === null).map((slot) => slot.label);
  return {
    current: { studyInstanceUid, studyDate: detail.study.studyDate, facility: currentSlots[0]?.facility ?? '' },
    prior: layout.prior ? { studyInstanceUid: layout.prior.studyInstanceUid, studyDate: layout.prior.studyDate, facility: layout.prior.facility } : null,
    modality,
    views: fromHeaders.length > 0 ? fromHeaders : fromCells,
  };
}
