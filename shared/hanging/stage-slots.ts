import { resolveCalibration } from '../dicom/calibration.ts';
import type { HangingContext } from './context.ts';
import { isStandardView, mammoLabel, type MammoIdentity } from './mammo-identify.ts';
import { orientMammo } from './mammo-orientation.ts';
import type { HangingInstance, HangingStudy } from './model.ts';
import { mrLabel, type MrDisplaySet } from './mr-roles.ts';
import type { MammoImageKind, Plane, SlotDefinition, SlotSelector } from './protocol.ts';
import type { ResolvedSlot } from './layout.ts';

/**
 * Filling one cell: the display set a slot's selector asks for (an instance for mammography, a series
 * or DCE phase for MR), how it is turned, pinned and scaled, and why. A missing view leaves the cell
 * empty and labelled instead of moving the other images (DICOM MAINTAIN_LAYOUT).
 */
export interface MammoCandidate {
  instance: HangingInstance;
  identity: MammoIdentity;
}

/** What a planned cell shows: found by its selector, or already chosen by a generator. */
export interface PlannedSlot {
  definition: SlotDefinition;
  /** Set by generators: the display set to show (null: leave the cell empty with `emptyReason`). */
  chosen?: { mammo: MammoCandidate } | { series: MrDisplaySet } | null;
  emptyReason?: string;
}

const TWO_D_TIERS: { kind: MammoImageKind; warning: string | null }[] = [
  { kind: '2d', warning: null },
  { kind: 'synthesized-2d', warning: 'Synthesized 2D image: no conventional 2D image of this view' },
  { kind: 'for-processing', warning: 'For Processing image: no For Presentation image of this view' },
];

function acquisitionOf(instance: HangingInstance): string {
  return instance.acquisitionDateTime || instance.acquisitionTime || instance.contentTime;
}

/** Best first: no modifier, no partial view, latest acquisition (a repeat replaces the first try), lowest number. */
export function compareMammo(a: MammoCandidate, b: MammoCandidate): number {
  const partial = (candidate: MammoCandidate): number => (candidate.identity.modifiers.includes('partial-view') ? 1 : 0);
  const others = (candidate: MammoCandidate): number => candidate.identity.modifiers.filter((modifier) => modifier !== 'partial-view').length;
  return (
    others(a) - others(b) ||
    partial(a) - partial(b) ||
    acquisitionOf(b.instance).localeCompare(acquisitionOf(a.instance)) ||
    (a.instance.instanceNumber ?? 0) - (b.instance.instanceNumber ?? 0)
  );
}

function matchesModifiers(identity: MammoIdentity, wanted: SlotSelector['modifiers']): boolean {
  const mode = wanted ?? 'none';
  if (mode === 'any') {
    return true;
  }
  return mode === 'none' ? isStandardView(identity) || identity.modifiers.length === 0 : !isStandardView(identity);
}

/** The images of a study that fit a mammography selector, in the best 2D tier that has any, best first. */
export function mammoMatches(context: HangingContext, study: HangingStudy, selector: SlotSelector): { matches: MammoCandidate[]; warning: string | null } {
  const fitting = study.instances
    .map((instance) => ({ instance, identity: context.identity(instance) }))
    .filter(({ identity }) =>
      identity.breastImage &&
      // A side-specific cell never takes an image of the other or an unknown side.
      (selector.laterality === undefined || identity.laterality === selector.laterality) &&
      (selector.view === undefined || identity.view === selector.view) &&
      matchesModifiers(identity, selector.modifiers));
  for (const tier of TWO_D_TIERS) {
    const matches = fitting.filter(({ identity }) => identity.kind === tier.kind).sort(compareMammo);
    if (matches.length > 0) {
      return { matches, warning: tier.warning };
    }
  }
  return { matches: [], warning: null };
}

export function mrMatches(context: HangingContext, study: HangingStudy, selector: SlotSelector): MrDisplaySet[] {
  const candidates = context
    .mrSets(study)
    .filter((set) => (selector.seriesRole === undefined || set.role === selector.seriesRole) && (selector.plane === undefined || set.plane === selector.plane));
  const exact = candidates.filter((set) => selector.phase === undefined || set.phase === selector.phase);
  // A series whose phase is not known may stand in for an asked phase; its cell says so (seriesSlot).
  const matches = exact.length > 0 ? exact : candidates.filter((set) => set.phase === null);
  return matches.sort((a, b) => (a.phase ?? 0) - (b.phase ?? 0));
}

export function mrKey(set: MrDisplaySet): string {
  return `${set.seriesInstanceUid}#${set.phase ?? ''}`;
}

function wantedLabel(selector: SlotSelector, displaySets: 'instance' | 'series'): string {
  const prior = selector.study === 'prior' ? ((selector.priorNumber ?? 1) > 1 ? `prior ${selector.priorNumber} ` : 'prior ') : '';
  if (displaySets === 'instance') {
    const modifiers = selector.modifiers === 'some' ? ' additional view' : '';
    return `${prior}${selector.laterality ?? ''}${selector.view ?? 'image'}${modifiers}`;
  }
  return `${prior}${selector.seriesRole ? mrLabel(selector.seriesRole, selector.phase ?? null, selector.plane ?? null) : 'series'}`;
}

interface CellPosition {
  index: number;
  columns: number;
}

function baseSlot(position: CellPosition, definition: SlotDefinition, study: HangingStudy | null): ResolvedSlot {
  const { selector, display } = definition;
  return {
    slot: `vp-${position.index}`,
    row: Math.floor(position.index / position.columns),
    column: position.index % position.columns,
    role: selector.study,
    priorNumber: selector.study === 'prior' ? (selector.priorNumber ?? 1) : null,
    studyInstanceUid: study?.studyInstanceUid ?? null,
    seriesInstanceUid: null,
    sopInstanceUid: null,
    studyDate: study?.studyDate ?? '',
    facility: study?.facility ?? '',
    label: '',
    laterality: selector.laterality ?? null,
    view: selector.view ?? null,
    modifiers: [],
    seriesRole: selector.seriesRole ?? null,
    phase: selector.phase ?? null,
    plane: selector.plane ?? null,
    flipHorizontal: false,
    flipVertical: false,
    rotation: 0,
    // A 1:1 sweep step starts where it says (top, centre or bottom of the image); otherwise mammograms hang from the top.
    justification: { horizontal: 'center', vertical: display.initialPosition ?? (display.justification === 'chest-wall' ? 'top' : 'center') },
    scaling: display.scaling,
    mmPerPixel: null,
    calibrationKind: null,
    syncGroups: [...definition.syncGroups],
    inferred: [],
    rules: [],
    warnings: [],
    empty: null,
    alternatives: [],
  };
}

function withCalibration(slot: ResolvedSlot, instance: HangingInstance): ResolvedSlot {
  const calibration = resolveCalibration(instance.calibration);
  const spacing: [number, number] | null = calibration.rowSpacingMm !== null && calibration.columnSpacingMm !== null ? [calibration.rowSpacingMm, calibration.columnSpacingMm] : null;
  const warnings = spacing === null && slot.scaling === 'same-size' ? ['No pixel spacing: same-size scaling cannot apply to this image'] : [];
  return {
    ...slot,
    mmPerPixel: spacing,
    calibrationKind: calibration.kind,
    rules: [
      ...slot.rules,
      spacing === null
        ? `scaling: ${slot.scaling}; no pixel spacing, ${calibration.label}`
        : `scaling: ${slot.scaling}; pixel ${spacing[0].toFixed(4)} x ${spacing[1].toFixed(4)} ${calibration.label}`,
    ],
    warnings: [...slot.warnings, ...warnings],
  };
}

function mammoSlot(base: ResolvedSlot, definition: SlotDefinition, chosen: MammoCandidate, alternatives: MammoCandidate[], warning: string | null): ResolvedSlot {
  const { instance, identity } = chosen;
  const orientation = definition.display.orientation === 'mammo-target' ? orientMammo(instance, identity.laterality, identity.view) : null;
  const horizontal = definition.display.justification !== 'chest-wall' ? 'center' : identity.laterality === 'R' ? 'right' : identity.laterality === 'L' ? 'left' : 'center';
  return withCalibration(
    {
      ...base,
      seriesInstanceUid: instance.seriesInstanceUid,
      sopInstanceUid: instance.sopInstanceUid,
      label: mammoLabel(identity.laterality, identity.view, identity.modifiers),
      laterality: identity.laterality,
      view: identity.view,
      modifiers: [...identity.modifiers],
      flipHorizontal: orientation?.flipHorizontal ?? false,
      flipVertical: orientation?.flipVertical ?? false,
      rotation: orientation?.rotation ?? 0,
      justification: { ...base.justification, horizontal },
      inferred: [...identity.inferred, ...(orientation?.inferred ?? [])],
      rules: [...identity.rules, ...(orientation?.rules ?? ['orientation: shown as stored'])],
      orientation: orientation?.check ?? null,
      warnings: [...(warning ? [warning] : []), ...(orientation?.warnings ?? [])],
      alternatives: alternatives.map((candidate) => candidate.instance.sopInstanceUid),
    },
    instance,
  );
}

function seriesSlot(base: ResolvedSlot, chosen: MrDisplaySet, alternatives: MrDisplaySet[]): ResolvedSlot {
  const first = chosen.instances[0] as HangingInstance;
  return withCalibration(
    {
      ...base,
      seriesInstanceUid: chosen.seriesInstanceUid,
      sopInstanceUid: first.sopInstanceUid,
      label: chosen.label,
      laterality: null,
      view: null,
      seriesRole: chosen.role,
      phase: chosen.phase,
      plane: chosen.plane,
      rules: [...chosen.rules],
      warnings: chosen.role === 'dce' && chosen.phase === null ? ['Contrast phase not recorded: this may be any phase'] : [],
      alternatives: alternatives.map((set) => set.seriesInstanceUid),
    },
    first,
  );
}

function emptySlot(base: ResolvedSlot, reason: string): ResolvedSlot {
  return { ...base, label: reason, empty: reason };
}

/**
 * Resolves a stage's planned cells in order; `used` keeps an image (or series phase) to one cell per
 * stage, so a repeat fills the next cell that asks for the same view rather than the same image twice.
 */
export function resolveSlots(context: HangingContext, planned: PlannedSlot[], columns: number, displaySets: 'instance' | 'series'): ResolvedSlot[] {
  const used = new Set<string>();
  const planeShown = new Map<string, Plane>();
  return planned.map((plan, index) => {
    const { selector } = plan.definition;
    const study = context.studyFor(selector.study, selector.priorNumber);
    const base = baseSlot({ index, columns }, plan.definition, study);
    const missing = `No ${wantedLabel(selector, displaySets)}`;
    if (plan.chosen === null) {
      return emptySlot(base, plan.emptyReason ?? missing);
    }
    if (plan.chosen && 'mammo' in plan.chosen) {
      used.add(plan.chosen.mammo.instance.sopInstanceUid);
      return mammoSlot(base, plan.definition, plan.chosen.mammo, [], null);
    }
    if (plan.chosen && 'series' in plan.chosen) {
      used.add(mrKey(plan.chosen.series));
      return seriesSlot(base, plan.chosen.series, []);
    }
    if (!study) {
      return emptySlot(base, missing);
    }
    const skip = selector.matchIndex ?? 0;
    if (displaySets === 'instance') {
      const { matches, warning } = mammoMatches(context, study, selector);
      const free = matches.filter((candidate) => !used.has(candidate.instance.sopInstanceUid));
      const chosen = free[skip];
      if (!chosen) {
        return emptySlot(base, missing);
      }
      used.add(chosen.instance.sopInstanceUid);
      return mammoSlot(base, plan.definition, chosen, free.filter((candidate) => candidate !== chosen), warning);
    }
    // Compare like with like: a series of the same role already hung in this stage sets the plane.
    const shownPlane = selector.plane === undefined ? planeShown.get(selector.seriesRole ?? '') : undefined;
    const free = mrMatches(context, study, selector)
      .filter((set) => !used.has(mrKey(set)))
      .sort((a, b) => Number(shownPlane !== undefined && b.plane === shownPlane) - Number(shownPlane !== undefined && a.plane === shownPlane));
    const chosen = free[skip];
    if (!chosen) {
      return emptySlot(base, missing);
    }
    used.add(mrKey(chosen));
    if (chosen.plane && !planeShown.has(chosen.role)) {
      planeShown.set(chosen.role, chosen.plane);
    }
    const slot = seriesSlot(base, chosen, free.filter((set) => set !== chosen));
    return shownPlane !== undefined && chosen.plane !== shownPlane
      ? { ...slot, warnings: [...slot.warnings, `Plane differs from the ${shownPlane} ${mrLabel(chosen.role, chosen.phase, null)} beside it (${chosen.plane ?? 'unknown'})`] }
      : slot;
  });
}
