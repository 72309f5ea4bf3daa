import type { ResolvedLayout, ResolvedSlot } from '../../../../shared/hanging/layout.ts';
import { formatHeaderText } from '../../../../shared/dicom/display-text.ts';
import type { SyncGroup } from '../../../../shared/hanging/protocol.ts';
import { commonScale, type CellSize, type Placement } from '../../imaging/placement.ts';

/**
 * What the hanging view derives from a resolved layout, kept free of React and cornerstone so it
 * can be tested with hand-made layouts: each slot's placement, the sync groups with their slots,
 * where labels go, and which stage or prior the keyboard steps to.
 */

/** Image size in pixels, by SOP Instance UID (from the library's index). */
export type ImageSizes = ReadonlyMap<string, { rows: number; columns: number }>;

function usesCommonScale(slot: ResolvedSlot): boolean {
  // True size needs the monitor's own mm per pixel, which Concord does not know: drawn same-size.
  return (slot.scaling === 'same-size' || slot.scaling === 'true-size') && slot.mmPerPixel !== null;
}

/**
 * The reader's choice of scale for the whole stage: every image fitted to its cell, one image pixel
 * per screen pixel, or one physical mm the same on screen in every cell. Null: as the protocol hangs it.
 */
export type ScaleMode = 'fit' | 'actual-pixels' | 'same-size';

export const SCALE_MODES: { mode: ScaleMode; label: string }[] = [
  { mode: 'fit', label: 'Fit' },
  { mode: 'actual-pixels', label: 'True pixels' },
  { mode: 'same-size', label: 'Same size' },
];

/** A slot's scaling under the reader's mode. */
function scalingOf(slot: ResolvedSlot, mode: ScaleMode | null): 'common' | 'fit' | 'actual-pixels' {
  if (mode === 'fit') {
    return 'fit';
  }
  if (mode === 'actual-pixels') {
    return 'actual-pixels';
  }
  if (mode === 'same-size') {
    return slot.mmPerPixel !== null ? 'common' : 'fit';
  }
  return usesCommonScale(slot) ? 'common' : slot.scaling === 'actual-pixels' ? 'actual-pixels' : 'fit';
}

/**
 * Each image slot's placement for cells of the given sizes. Same-size slots share one scale: one
 * physical mm is the same number of screen pixels in each of them, the largest image deciding it.
 * `mode` is the reader's scale for the whole stage (null: each slot as its protocol says).
 */
export function placementsFor(layout: ResolvedLayout, cells: ReadonlyMap<string, CellSize>, sizes: ImageSizes, mode: ScaleMode | null = null): Map<string, Placement> {
  const shown = layout.slots.filter((slot) => slot.empty === null && slot.sopInstanceUid !== null);
  const scale = commonScale(
    shown.filter((slot) => scalingOf(slot, mode) === 'common').flatMap((slot) => {
      const size = sizes.get(slot.sopInstanceUid ?? '');
      const cell = cells.get(slot.slot);
      return size && cell && slot.mmPerPixel ? [{ cell, ...size, mmPerPixel: slot.mmPerPixel, rotation: slot.rotation }] : [];
    }),
  );
  const placements = new Map<string, Placement>();
  for (const slot of shown) {
    const mmPerPixel = slot.mmPerPixel;
    const scaling = scalingOf(slot, mode);
    let placementScale: Placement['scale'] = { kind: 'fit' };
    if (scaling === 'common' && scale !== null && mmPerPixel) {
      placementScale = { kind: 'mm', cssPixelsPerMm: scale, mmPerPixel };
    } else if (scaling === 'actual-pixels') {
      placementScale = { kind: 'actual-pixels' };
    }
    placements.set(slot.slot, {
      flipHorizontal: slot.flipHorizontal,
      flipVertical: slot.flipVertical,
      rotation: slot.rotation,
      horizontal: slot.justification.horizontal,
      vertical: slot.justification.vertical,
      scale: placementScale,
    });
  }
  return placements;
}

/** A stage's sync group with the viewports (slot names) in it: what a sync service links. */
export interface SlotSyncGroup extends SyncGroup {
  slots: string[];
  /** A window group across series roles (the stage's mammograms): every member takes the reader's window. */
  anyRole?: boolean;
}

/** What a sync service needs to know of each viewport: series role (window sync) and laterality (mirrored pan). */
export type SlotSyncInfo = Record<string, { seriesRole: string | null; laterality: string | null }>;

/** The id of the group every same-size image of a stage zooms and pans in. */
export const SCALE_GROUP = 'stage-scale';
/** The id of the group every mammogram of a stage takes the reader's window in. */
export const STAGE_WINDOW_GROUP = 'stage-window';

/**
 * The layout's sync groups with the slots that join each (image slots only: an empty cell syncs
 * nothing), and two more every stage has, whatever its protocol says:
 * - the scale group: the images drawn at the stage's common scale (current and prior, right and
 *   left) zoom and pan together, so they stay the same size; pan is mirrored between a right and a
 *   left image, so chest walls stay at the seam;
 * - the stage window: every mammogram takes the window the reader sets in one of them.
 */
export function syncGroupsOf(layout: ResolvedLayout): SlotSyncGroup[] {
  const images = layout.slots.filter((slot) => slot.empty === null && slot.sopInstanceUid !== null);
  const groups: SlotSyncGroup[] = layout.syncGroups.map((group) => ({
    ...group,
    slots: layout.slots.filter((slot) => slot.empty === null && slot.syncGroups.includes(group.id)).map((slot) => slot.slot),
  }));
  const scaled = images.filter(usesCommonScale);
  if (scaled.length > 1) {
    const sides = new Set(scaled.map((slot) => slot.laterality));
    const mirrored = sides.size === 2 && sides.has('R') && sides.has('L');
    groups.push({ id: SCALE_GROUP, kind: 'zoom-pan', ...(mirrored ? { mirrorHorizontalPan: true } : {}), slots: scaled.map((slot) => slot.slot) });
  }
  const mammograms = images.filter((slot) => slot.view !== null);
  if (mammograms.length > 1) {
    groups.push({ id: STAGE_WINDOW_GROUP, kind: 'voi', anyRole: true, slots: mammograms.map((slot) => slot.slot) });
  }
  return groups;
}

export function syncInfoOf(layout: ResolvedLayout): SlotSyncInfo {
  return Object.fromEntries(layout.slots.map((slot) => [slot.slot, { seriesRole: slot.seriesRole, laterality: slot.laterality }]));
}

/**
 * The view label sits at the lateral or axillary corner: the top of a mammogram hung to the target
 * orientation, on the side away from the chest wall (in air, over no tissue). Other images: top left.
 */
export function labelCorner(slot: Pick<ResolvedSlot, 'justification'>): 'top-left' | 'top-right' {
  return slot.justification.horizontal === 'left' ? 'top-right' : 'top-left';
}

/**
 * The stage `delta` steps away in the reader's stage order, skipping disabled ones and stopping at
 * either end; null when there is none.
 */
export function steppedStage(layout: ResolvedLayout, delta: 1 | -1): number | null {
  const usable = layout.stages.filter((stage) => stage.status !== 'disabled').map((stage) => stage.number);
  const later = delta > 0 ? usable.filter((n) => n > layout.stage.number) : usable.filter((n) => n < layout.stage.number).reverse();
  return later[0] ?? null;
}

/**
 * The prior `delta` steps away: +1 an older one, -1 a newer one (priors are listed newest first).
 * Null at either end, or when the study has no prior.
 */
export function steppedPrior(layout: ResolvedLayout, delta: 1 | -1): string | null {
  const index = layout.priors.findIndex((prior) => prior.studyInstanceUid === layout.prior?.studyInstanceUid);
  if (index < 0) {
    return layout.priors[0]?.studyInstanceUid ?? null;
  }
  return layout.priors[index + delta]?.studyInstanceUid ?? null;
}

/**
 * The hanging view opens by default when a protocol other than the plain "none" hangs the study
 * well enough: the stage it opens on is enabled (enough of its cells filled), not merely offered.
 */
export function hangsByDefault(layout: ResolvedLayout): boolean {
  const shown = layout.stages.find((stage) => stage.number === layout.stage.number);
  return layout.protocol.id !== 'none' && shown?.status === 'enabled' && layout.slots.some((slot) => slot.empty === null);
}

/** `items` with the one at `index` moved by `delta` (kept inside the list). */
export function moved<T>(items: readonly T[], index: number, delta: -1 | 1): T[] {
  const target = index + delta;
  if (target < 0 || target >= items.length) {
    return [...items];
  }
  const next = [...items];
  [next[index], next[target]] = [next[target] as T, next[index] as T];
  return next;
}

/** A user protocol's id from its name: "user-" and the name's letters and digits, lower case, dashed (64 at most). */
export function protocolIdOf(name: string): string {
  const words = name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `user-${words}`.slice(0, 64).replace(/-+$/, '');
}

/** How much of a facility's name a cell or menu shows. */
export const FACILITY_LIMIT = 40;

/** Header text (untrusted) as a cell shows it: plain text, at most `limit` characters, an ellipsis when cut. */
export function bounded(text: string, limit = 80): string {
  const plain = formatHeaderText(text);
  return plain.length > limit ? `${plain.slice(0, limit - 1)}…` : plain;
}
