import type { HangingContext } from './context.ts';
import { isCranioCaudalFamily, isStandardView } from './mammo-identify.ts';
import { mrLabel, type MrDisplaySet } from './mr-roles.ts';
import type { Laterality, MammoView, SlotDefinition, Stage, SyncGroup } from './protocol.ts';
import { compareMammo, mammoMatches, mrKey, type MammoCandidate, type PlannedSlot } from './stage-slots.ts';

/**
 * Stages whose cells depend on what the studies hold: additional views beside their standard view,
 * tomosynthesis beside its 2D view, MR series beside the prior series of the same plane and role.
 * Each returns the grid it needs, the planned cells, its sync groups, and what did not fit.
 */
export interface GeneratedStage {
  grid: { rows: number; columns: number };
  planned: PlannedSlot[];
  syncGroups: SyncGroup[];
  leftOver: { candidate: MammoCandidate | MrDisplaySet; reason: string }[];
}

const MAX_ROWS = 4;
const MAX_COLUMNS = 6;

function mammoDefinition(study: 'current' | 'prior', laterality: Laterality, view: MammoView | undefined, syncGroups: string[]): SlotDefinition {
  return {
    selector: { study, laterality, ...(view ? { view } : {}), modifiers: 'any' },
    display: { orientation: 'mammo-target', justification: 'chest-wall', scaling: 'same-size' },
    syncGroups,
  };
}

function emptyStage(): GeneratedStage {
  return { grid: { rows: 1, columns: 2 }, planned: [], syncGroups: [], leftOver: [] };
}

/** Rows of cells, padded with labelled empty cells so the grid is whole. */
function packRows(rows: PlannedSlot[][], columns: number): PlannedSlot[] {
  return rows.flatMap((row) => {
    const padding = Array.from({ length: columns - row.length }, (): PlannedSlot => ({
      definition: row[0]?.definition ?? mammoDefinition('current', 'R', undefined, []),
      chosen: null,
      emptyReason: '',
    }));
    return [...row, ...padding];
  });
}

/** Additional views (spot, magnification, XCCL, ML, implant displaced...) of the current study, each row led by the standard view they refine. */
export function additionalViewsStage(context: HangingContext): GeneratedStage {
  const study = context.current;
  const extras = study.instances
    .map((instance) => ({ instance, identity: context.identity(instance) }))
    .filter(({ identity }) => identity.breastImage && (identity.kind === '2d' || identity.kind === 'synthesized-2d') && (identity.laterality === 'R' || identity.laterality === 'L') && !isStandardView(identity))
    .sort(compareMammo);
  if (extras.length === 0) {
    return emptyStage();
  }
  const groups = new Map<string, { laterality: Laterality; view: 'CC' | 'MLO'; extras: MammoCandidate[] }>();
  for (const extra of extras) {
    const laterality = extra.identity.laterality as Laterality;
    const view = isCranioCaudalFamily(extra.identity.view) ? 'CC' : 'MLO';
    const key = `${laterality}${view}`;
    const group = groups.get(key) ?? { laterality, view, extras: [] };
    group.extras.push(extra);
    groups.set(key, group);
  }
  const ordered = [...groups.values()].sort((a, b) => a.laterality.localeCompare(b.laterality) * -1 || a.view.localeCompare(b.view));
  const columns = Math.min(MAX_COLUMNS, 1 + Math.max(...ordered.map((group) => group.extras.length)));
  const leftOver: GeneratedStage['leftOver'] = [];
  const rows: PlannedSlot[][] = [];
  const syncGroups: SyncGroup[] = [];
  ordered.forEach((group, rowIndex) => {
    if (rowIndex >= MAX_ROWS) {
      group.extras.forEach((candidate) => leftOver.push({ candidate, reason: 'more additional views than fit in one stage' }));
      return;
    }
    const sync = `row-${rowIndex + 1}`;
    syncGroups.push({ id: sync, kind: 'zoom-pan' });
    const standard = mammoMatches(context, study, { study: 'current', laterality: group.laterality, view: group.view, modifiers: 'none' }).matches[0];
    const lead: PlannedSlot = standard
      ? { definition: mammoDefinition('current', group.laterality, group.view, [sync]), chosen: { mammo: standard } }
      : { definition: mammoDefinition('current', group.laterality, group.view, [sync]), chosen: null, emptyReason: `No ${group.laterality}${group.view}` };
    const shown = group.extras.slice(0, columns - 1);
    group.extras.slice(columns - 1).forEach((candidate) => leftOver.push({ candidate, reason: 'more additional views than fit in one stage' }));
    rows.push([lead, ...shown.map((extra): PlannedSlot => ({ definition: mammoDefinition('current', group.laterality, extra.identity.view ?? undefined, [sync]), chosen: { mammo: extra } }))]);
  });
  return { grid: { rows: rows.length, columns }, planned: packRows(rows, columns), syncGroups, leftOver };
}

/** Each tomosynthesis stack of the current study beside the 2D (or synthesized 2D) image of its view. */
export function tomosynthesisStage(context: HangingContext): GeneratedStage {
  const study = context.current;
  const stacks = study.instances
    .map((instance) => ({ instance, identity: context.identity(instance) }))
    // A stack of unknown side stays in the additional list: a side-specific row never takes it.
    .filter(({ identity }) => identity.kind === 'tomosynthesis' && (identity.laterality === 'R' || identity.laterality === 'L'))
    .sort((a, b) => `${b.identity.laterality}${a.identity.view}`.localeCompare(`${a.identity.laterality}${b.identity.view}`));
  if (stacks.length === 0) {
    return emptyStage();
  }
  const leftOver: GeneratedStage['leftOver'] = [];
  const rows: PlannedSlot[][] = [];
  const syncGroups: SyncGroup[] = [];
  stacks.forEach((stack, rowIndex) => {
    if (rowIndex >= MAX_ROWS) {
      leftOver.push({ candidate: stack, reason: 'more tomosynthesis stacks than fit in one stage' });
      return;
    }
    const laterality = stack.identity.laterality as Laterality;
    const view = stack.identity.view ?? undefined;
    const sync = `view-${rowIndex + 1}`;
    syncGroups.push({ id: sync, kind: 'zoom-pan' });
    const flat = mammoMatches(context, study, { study: 'current', laterality, ...(view ? { view } : {}), modifiers: 'none' }).matches[0];
    const label = `${laterality}${stack.identity.view ?? '?'}`;
    rows.push([
      flat ? { definition: mammoDefinition('current', laterality, view, [sync]), chosen: { mammo: flat } } : { definition: mammoDefinition('current', laterality, view, [sync]), chosen: null, emptyReason: `No 2D ${label}` },
      { definition: mammoDefinition('current', laterality, view, [sync]), chosen: { mammo: stack } },
    ]);
  });
  return { grid: { rows: rows.length, columns: 2 }, planned: packRows(rows, 2), syncGroups, leftOver };
}

function seriesDefinition(study: 'current' | 'prior', set: MrDisplaySet, syncGroups: string[]): SlotDefinition {
  return {
    selector: { study, ...(study === 'prior' ? { priorNumber: 1 } : {}), seriesRole: set.role, ...(set.phase !== null ? { phase: set.phase } : {}), ...(set.plane ? { plane: set.plane } : {}) },
    display: { orientation: 'as-stored', justification: 'center', scaling: 'same-size' },
    syncGroups,
  };
}

/** Each current MR series (localizers aside) beside the prior series of the same role, phase and plane. */
export function mrPairsStage(context: HangingContext): GeneratedStage {
  const current = context.mrSets(context.current).filter((set) => set.role !== 'localizer');
  if (current.length === 0) {
    return emptyStage();
  }
  const prior = context.priors[0];
  const priorSets = prior ? context.mrSets(prior).filter((set) => set.role !== 'localizer') : [];
  const usedPrior = new Set<string>();
  const pairsPerRow = current.length > MAX_ROWS ? 2 : 1;
  const capacity = pairsPerRow * MAX_ROWS;
  const syncGroups: SyncGroup[] = [
    { id: 'current-slices', kind: 'slice-position' },
    { id: 'prior-slices', kind: 'slice-position' },
    { id: 'zoom', kind: 'zoom-pan' },
  ];
  const cells: PlannedSlot[] = [];
  const leftOver: GeneratedStage['leftOver'] = [];
  current.forEach((set, index) => {
    if (index >= capacity) {
      leftOver.push({ candidate: set, reason: 'more series than fit in one stage' });
      return;
    }
    const pairSync = `pair-${index + 1}`;
    syncGroups.push({ id: pairSync, kind: 'slice-manual' });
    const match = priorSets.find((candidate) => !usedPrior.has(mrKey(candidate)) && candidate.role === set.role && candidate.phase === set.phase && candidate.plane === set.plane);
    if (match) {
      usedPrior.add(mrKey(match));
    }
    cells.push({ definition: seriesDefinition('current', set, ['current-slices', pairSync, 'zoom']), chosen: { series: set } });
    cells.push(match
      ? { definition: seriesDefinition('prior', set, ['prior-slices', pairSync, 'zoom']), chosen: { series: match } }
      : { definition: seriesDefinition('prior', set, ['prior-slices', pairSync, 'zoom']), chosen: null, emptyReason: `No prior ${mrLabel(set.role, set.phase, set.plane)}` });
  });
  const columns = 2 * pairsPerRow;
  const rows = Math.ceil(cells.length / columns);
  const padding = Array.from({ length: rows * columns - cells.length }, (): PlannedSlot => ({ definition: cells[0]?.definition as SlotDefinition, chosen: null, emptyReason: '' }));
  return { grid: { rows, columns }, planned: [...cells, ...padding], syncGroups, leftOver };
}

export function generateStage(context: HangingContext, stage: Stage): GeneratedStage {
  switch (stage.generator) {
    case 'additional-views':
      return additionalViewsStage(context);
    case 'tomosynthesis':
      return tomosynthesisStage(context);
    case 'mr-pairs':
      return mrPairsStage(context);
    default:
      return emptyStage();
  }
}
