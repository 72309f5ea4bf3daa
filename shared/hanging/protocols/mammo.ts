import type { HangingProtocol, Laterality, SlotDefinition, Stage, SyncGroup } from '../protocol.ts';

/**
 * "MG – second opinion" (domain reference b.4): prior and current screening views back to back, chest
 * walls meeting at each pair's seam, same-size scaling whenever current and prior are on screen.
 */
type View = 'CC' | 'MLO';

function slot(study: 'current' | 'prior', laterality: Laterality, view: View, syncGroups: string[] = [], scaling: 'same-size' | 'actual-pixels' = 'same-size', initialPosition?: 'top' | 'center' | 'bottom'): SlotDefinition {
  return {
    selector: study === 'prior' ? { study, priorNumber: 1, laterality, view, modifiers: 'none' } : { study, laterality, view, modifiers: 'none' },
    display: { orientation: 'mammo-target', justification: 'chest-wall', scaling, ...(initialPosition ? { initialPosition } : {}) },
    syncGroups,
  };
}

/** Zoom/pan follows between current and prior of one side, mirrored between the sides of one study. */
const COMPARISON_SYNC: SyncGroup[] = [
  { id: 'right-current-prior', kind: 'zoom-pan' },
  { id: 'left-current-prior', kind: 'zoom-pan' },
  { id: 'prior-pair', kind: 'zoom-pan', mirrorHorizontalPan: true },
  { id: 'current-pair', kind: 'zoom-pan', mirrorHorizontalPan: true },
];

function comparison(id: string, name: string, view: View): Stage {
  return {
    id,
    name,
    grid: { rows: 2, columns: 2 },
    slots: [
      slot('prior', 'R', view, ['right-current-prior', 'prior-pair']),
      slot('prior', 'L', view, ['left-current-prior', 'prior-pair']),
      slot('current', 'R', view, ['right-current-prior', 'current-pair']),
      slot('current', 'L', view, ['left-current-prior', 'current-pair']),
    ],
    minSlotsMatched: 3,
    requiresPrior: true,
    syncGroups: COMPARISON_SYNC,
  };
}

function oneBreast(id: string, name: string, laterality: Laterality): Stage {
  return {
    id,
    name,
    grid: { rows: 2, columns: 2 },
    slots: [
      slot('prior', laterality, 'CC', ['cc']),
      slot('prior', laterality, 'MLO', ['mlo']),
      slot('current', laterality, 'CC', ['cc']),
      slot('current', laterality, 'MLO', ['mlo']),
    ],
    minSlotsMatched: 2,
    syncGroups: [{ id: 'cc', kind: 'zoom-pan' }, { id: 'mlo', kind: 'zoom-pan' }],
  };
}

const POSITIONS = [
  { position: 'top', words: 'top' },
  { position: 'center', words: 'centre' },
  { position: 'bottom', words: 'bottom' },
] as const;

/** The systematic 1:1 sweep: one stage per third of the image, so the keyboard steps through it. */
function sweep(view: View): Stage[] {
  return POSITIONS.map(({ position, words }) => ({
    id: `sweep-${view.toLowerCase()}-${position}`,
    name: `1:1 sweep ${view}: ${words}`,
    grid: { rows: 1, columns: 2 },
    slots: [slot('current', 'R', view, ['pair'], 'actual-pixels', position), slot('current', 'L', view, ['pair'], 'actual-pixels', position)],
    minSlotsMatched: 2,
    syncGroups: [{ id: 'pair', kind: 'zoom-pan', mirrorHorizontalPan: true }],
  }));
}

export const MAMMO_SECOND_OPINION: HangingProtocol = {
  id: 'mg-second-opinion',
  name: 'MG – second opinion',
  description:
    'Screening and diagnostic mammography with the prior chosen by date: overview, current 4-up, CC and MLO comparisons, each breast, a 1:1 sweep, additional views and tomosynthesis.',
  level: 'factory',
  displaySets: 'instance',
  activation: [
    { attribute: 'standardMammoViews', constraint: { atLeast: 2 }, weight: 10, required: true },
    { attribute: 'modalities', constraint: { includes: 'MG' }, weight: 5, required: false },
    { attribute: 'priorCount', constraint: { atLeast: 1 }, weight: 2, required: false },
  ],
  priors: { referenced: 1, rule: 'default' },
  stages: [
    {
      id: 'overview',
      name: 'Overview current + prior',
      grid: { rows: 2, columns: 4 },
      slots: [
        slot('prior', 'R', 'MLO', ['prior-mlo']),
        slot('prior', 'L', 'MLO', ['prior-mlo']),
        slot('prior', 'R', 'CC', ['prior-cc']),
        slot('prior', 'L', 'CC', ['prior-cc']),
        slot('current', 'R', 'MLO', ['current-mlo']),
        slot('current', 'L', 'MLO', ['current-mlo']),
        slot('current', 'R', 'CC', ['current-cc']),
        slot('current', 'L', 'CC', ['current-cc']),
      ],
      // Enabled once a prior view joins the current ones; passive with the current study alone.
      minSlotsMatched: 5,
      syncGroups: [
        { id: 'prior-mlo', kind: 'zoom-pan', mirrorHorizontalPan: true },
        { id: 'prior-cc', kind: 'zoom-pan', mirrorHorizontalPan: true },
        { id: 'current-mlo', kind: 'zoom-pan', mirrorHorizontalPan: true },
        { id: 'current-cc', kind: 'zoom-pan', mirrorHorizontalPan: true },
      ],
    },
    {
      id: 'current-4-up',
      name: 'Current 4-up',
      grid: { rows: 2, columns: 2 },
      slots: [slot('current', 'R', 'CC', ['cc']), slot('current', 'L', 'CC', ['cc']), slot('current', 'R', 'MLO', ['mlo']), slot('current', 'L', 'MLO', ['mlo'])],
      minSlotsMatched: 2,
      syncGroups: [{ id: 'cc', kind: 'zoom-pan', mirrorHorizontalPan: true }, { id: 'mlo', kind: 'zoom-pan', mirrorHorizontalPan: true }],
    },
    comparison('cc-comparison', 'CC current vs prior', 'CC'),
    comparison('mlo-comparison', 'MLO current vs prior', 'MLO'),
    oneBreast('right-breast', 'Right breast', 'R'),
    oneBreast('left-breast', 'Left breast', 'L'),
    ...sweep('CC'),
    ...sweep('MLO'),
    { id: 'additional-views', name: 'Additional views', grid: { rows: 1, columns: 2 }, slots: [], generator: 'additional-views', minSlotsMatched: 2, syncGroups: [] },
    { id: 'tomosynthesis', name: 'Tomosynthesis', grid: { rows: 1, columns: 2 }, slots: [], generator: 'tomosynthesis', minSlotsMatched: 1, syncGroups: [] },
  ],
};
