import { classifySopClass, describeKind } from '../dicom/sop-classes.ts';
import type { HangingContext } from './context.ts';
import { mammoLabel } from './mammo-identify.ts';
import type { ResolvedLayout, ResolvedSlot } from './layout.ts';
import { mrLabel, type MrDisplaySet } from './mr-roles.ts';
import type { HangingProtocol } from './protocol.ts';
import type { MammoCandidate } from './stage-slots.ts';

/**
 * What the shown studies hold that the stage does not hang, each with why (IHE PDI asks that the
 * reader be told rather than left to wonder): non-image objects, images of no known side,
 * tomosynthesis objects outside their stage, unused raw images, localizers, what did not fit.
 */
export function additionalObjects(
  context: HangingContext,
  protocol: HangingProtocol,
  slots: ResolvedSlot[],
  leftOver: { candidate: MammoCandidate | MrDisplaySet; reason: string }[],
): ResolvedLayout['additional'] {
  const additional: ResolvedLayout['additional'] = [];
  const shown = new Set(slots.map((slot) => slot.sopInstanceUid));
  const studies = [context.current, ...context.priors.slice(0, Math.max(1, protocol.priors.referenced))];
  for (const study of studies) {
    const seenSeries = new Set<string>();
    for (const instance of study.instances) {
      const base = { studyInstanceUid: study.studyInstanceUid, seriesInstanceUid: instance.seriesInstanceUid };
      const objectKind = classifySopClass(instance.sopClassUid);
      if (objectKind !== 'image') {
        additional.push({ ...base, sopInstanceUid: instance.sopInstanceUid, label: instance.seriesDescription.slice(0, 64), reason: `${describeKind(objectKind)}: not an image` });
        continue;
      }
      if (protocol.displaySets === 'series') {
        const modality = instance.modality.trim().toUpperCase();
        if (modality !== 'MR' && !seenSeries.has(instance.seriesInstanceUid)) {
          additional.push({ ...base, sopInstanceUid: null, label: instance.seriesDescription.slice(0, 64), reason: `not part of the MR comparison (modality ${modality.slice(0, 16) || 'unknown'})` });
        }
        seenSeries.add(instance.seriesInstanceUid);
        continue;
      }
      const identity = context.identity(instance);
      const label = mammoLabel(identity.laterality, identity.view, identity.modifiers);
      const entry = { ...base, sopInstanceUid: instance.sopInstanceUid, label };
      if (!identity.breastImage) {
        if (!seenSeries.has(instance.seriesInstanceUid)) {
          additional.push({ ...entry, label: instance.seriesDescription.slice(0, 64), reason: `not a mammogram (modality ${instance.modality.trim().slice(0, 16) || 'unknown'})` });
        }
        seenSeries.add(instance.seriesInstanceUid);
      } else if (shown.has(instance.sopInstanceUid)) {
        continue;
      } else if (identity.kind === 'tomosynthesis') {
        additional.push({ ...entry, reason: 'tomosynthesis stack: kept out of 2D stages (see the Tomosynthesis stage)' });
      } else if (identity.kind === 'projection-set') {
        additional.push({ ...entry, reason: 'tomosynthesis projection set: kept out of 2D stages' });
      } else if (identity.laterality === null) {
        additional.push({ ...entry, reason: 'laterality unknown: never hung in a side-specific cell' });
      } else if (identity.laterality === 'B') {
        additional.push({ ...entry, reason: 'bilateral image: not hung in a side-specific cell' });
      } else if (identity.kind === 'for-processing' && !shown.has(instance.sopInstanceUid)) {
        additional.push({ ...entry, reason: 'For Processing image: not for reading; hung only when no For Presentation image of its view exists' });
      } else if (identity.kind === 'synthesized-2d' && !shown.has(instance.sopInstanceUid)) {
        additional.push({ ...entry, reason: 'synthesized 2D image: hung only when no conventional 2D image of its view exists, and in the Tomosynthesis stage' });
      }
    }
    if (protocol.displaySets === 'series') {
      for (const set of context.mrSets(study)) {
        if (set.role === 'localizer') {
          additional.push({ studyInstanceUid: study.studyInstanceUid, seriesInstanceUid: set.seriesInstanceUid, sopInstanceUid: null, label: mrLabel(set.role, set.phase, set.plane), reason: 'localizer: not hung' });
        }
      }
    }
  }
  for (const { candidate, reason } of leftOver) {
    if ('identity' in candidate) {
      additional.push({
        studyInstanceUid: context.current.studyInstanceUid,
        seriesInstanceUid: candidate.instance.seriesInstanceUid,
        sopInstanceUid: candidate.instance.sopInstanceUid,
        label: mammoLabel(candidate.identity.laterality, candidate.identity.view, candidate.identity.modifiers),
        reason,
      });
    } else {
      additional.push({ studyInstanceUid: candidate.studyInstanceUid, seriesInstanceUid: candidate.seriesInstanceUid, sopInstanceUid: null, label: candidate.label, reason });
    }
  }
  return additional;
}
