import { useEffect } from 'react';
import type { RefObject } from 'react';
import { getEnabledElement, utilities } from '@cornerstonejs/core';
import type { Types } from '@cornerstonejs/core';
import type { ResolvedSlot } from '../../../../shared/hanging/layout.ts';
import type { MammoView } from '../../../../shared/hanging/protocol.ts';
import { MAMMO_VIEWS } from '../../../../shared/hanging/protocol.ts';
import { proposeFindingLocation } from '../../../../shared/reports/finding-from-image.ts';
import type { FindingLocationProposal } from '../../../../shared/reports/finding-from-image.ts';
import { locationText } from '../../../../shared/reports/narrative.ts';
import { useViewer } from '../../state/viewer.ts';
import { formatDicomDate } from '../../ui/format.ts';
import { emptyFinding, nextFindingId } from '../report/content-edits.ts';
import { imageOfImageId } from '../report/key-image.ts';
import { useReport } from '../report/report-store.ts';
import { useHung } from './hung-state.ts';

/**
 * "New finding from image": with the mode on, a click on a hung mammogram starts a finding of the
 * report: side from the cell, the clicked image linked under its view's name, and the clock face,
 * depth and distance from the nipple proposed from the image (shared/reports/finding-from-image.ts).
 * The click is taken before the viewport's tools see it, so it never drags the window or pans.
 */

export interface FindingClickResult {
  /** What the bar beside the pane says after the click. */
  message: string;
  findingId: string | null;
}

function isMammoView(view: string | null): view is MammoView {
  return view !== null && (MAMMO_VIEWS as readonly string[]).includes(view);
}

/** The stored pixel under a point of the viewport element (CSS pixels from its top-left), and the pixels. */
function imageUnder(element: HTMLDivElement, clientX: number, clientY: number): { image: Types.IImage; point: [number, number] } | null {
  const viewport = getEnabledElement(element)?.viewport as Types.IStackViewport | undefined;
  const image = viewport?.getCornerstoneImage();
  const imageId = viewport?.getCurrentImageId();
  if (!viewport || !image || !imageId) {
    return null;
  }
  const box = viewport.canvas.getBoundingClientRect();
  const world = viewport.canvasToWorld([clientX - box.left, clientY - box.top]);
  const [column, row] = utilities.worldToImageCoords(imageId, world) ?? [];
  return column === undefined || row === undefined ? null : { image, point: [column, row] };
}

function proposalFor(slot: ResolvedSlot & { laterality: 'R' | 'L'; view: MammoView }, image: Types.IImage, point: [number, number]): FindingLocationProposal {
  return proposeFindingLocation({
    image: { rows: image.rows, columns: image.columns, values: image.getPixelData(), invert: image.invert || image.photometricInterpretation === 'MONOCHROME1' },
    transform: { flipHorizontal: slot.flipHorizontal, flipVertical: slot.flipVertical, rotation: slot.rotation },
    laterality: slot.laterality,
    view: slot.view,
    point,
    mmPerPixel: slot.mmPerPixel,
  });
}

/** Starts a finding at a click on a hung cell; says what was filled, or why nothing was. */
export function startFindingAt(slotName: string, element: HTMLDivElement, clientX: number, clientY: number): FindingClickResult {
  const slot = useHung.getState().layout?.slots.find((candidate) => candidate.slot === slotName);
  const report = useReport.getState();
  if (!report.report || !report.content) {
    return { message: 'Start the report first: a finding belongs to a report.', findingId: null };
  }
  if (report.report.status !== 'draft') {
    return { message: 'The report is signed: findings can no longer be added.', findingId: null };
  }
  if (!slot || (slot.laterality !== 'R' && slot.laterality !== 'L') || !isMammoView(slot.view) || !slot.sopInstanceUid) {
    return { message: 'This cell shows no breast view with a side: click a hung mammogram.', findingId: null };
  }
  const opinion = report.content.secondOpinion;
  if (opinion.findings.length >= 100) {
    return { message: 'The report holds 100 findings, the most it can.', findingId: null };
  }
  const under = imageUnder(element, clientX, clientY);
  const located = { ...slot, laterality: slot.laterality, view: slot.view };
  const proposal = under ? proposalFor(located, under.image, under.point) : { clock: null, quadrant: null, depth: null, distanceFromNippleCm: null, notes: ['The image is not drawn yet: location not proposed.'] };
  const frame = under ? (imageOfImageId(under.image.imageId)?.frame ?? null) : null;
  const id = nextFindingId(opinion.findings);
  const study = slot.role === 'prior' ? `prior ${formatDicomDate(slot.studyDate)}` : `current ${formatDicomDate(slot.studyDate)}`;
  const blank = emptyFinding(id, 'mass', slot.laterality);
  const finding = {
    ...blank,
    location: { ...blank.location, clock: proposal.clock, quadrant: proposal.quadrant, depth: proposal.depth, distanceFromNippleCm: proposal.distanceFromNippleCm },
    images: [{ sopInstanceUid: slot.sopInstanceUid, frame, annotationUid: null, caption: `${slot.view} (${study}), started from a click`.slice(0, 200) }],
  };
  report.edit((content) => ({ ...content, secondOpinion: { ...content.secondOpinion, findings: [...content.secondOpinion.findings, finding] } }));
  report.setTab('second-opinion');
  report.togglePane(true);
  useViewer.getState().setActiveSlot(slotName);
  return { message: `${id} from the ${slot.label}: ${locationText(finding.location)}. ${proposal.notes.join(' ')}`.trim(), findingId: id };
}

/**
 * Listens on the stage for clicks while the mode is on: the pointer press is taken in the capture
 * phase and cancelled, so no tool of the viewport acts on it.
 */
export function useFindingFromImage(grid: RefObject<HTMLDivElement | null>, ready: boolean): void {
  useEffect(() => {
    const target = grid.current;
    if (!target || !ready) {
      return undefined;
    }
    const onPointerDown = (event: PointerEvent): void => {
      if (!useHung.getState().findingMode || event.button !== 0) {
        return;
      }
      const element = event.target instanceof Element ? event.target.closest<HTMLDivElement>('[data-viewport]') : null;
      if (!element || !target.contains(element)) {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
      useHung.getState().setFindingMessage(startFindingAt(element.dataset.viewport ?? '', element, event.clientX, event.clientY).message);
    };
    target.addEventListener('pointerdown', onPointerDown, true);
    return () => target.removeEventListener('pointerdown', onPointerDown, true);
  }, [grid, ready]);
}
