import type { HangingProtocol, SyncGroup } from '../protocol.ts';
import { mrSlot } from './mr-slot.ts';

/**
 * "MR breast – current vs prior" (domain reference b.5). Within a study the series share a frame of
 * reference, so slices follow by position; across studies they do not, so the reader links one slice
 * pair by hand (slice-manual) and the rest follow by offset.
 */
const COMPARISON_SYNC: SyncGroup[] = [
  { id: 'current-slices', kind: 'slice-position' },
  { id: 'prior-slices', kind: 'slice-position' },
  { id: 'across-studies', kind: 'slice-manual' },
  { id: 'zoom', kind: 'zoom-pan' },
];
const BOTH = ['across-studies', 'zoom'];

export const MR_BREAST_COMPARISON: HangingProtocol = {
  id: 'mr-breast-comparison',
  name: 'MR breast – current vs prior',
  description: 'Breast MRI: current overview, subtraction and MIP, T2 and first post-contrast phase against the prior, kinetics and diffusion.',
  level: 'factory',
  displaySets: 'series',
  activation: [
    { attribute: 'modalities', constraint: { includes: 'MR' }, weight: 0, required: true },
    { attribute: 'bodyPart', constraint: { containsText: 'BREAST' }, weight: 10, required: false },
    { attribute: 'studyDescription', constraint: { containsText: 'BREAST' }, weight: 6, required: false },
    { attribute: 'studyDescription', constraint: { containsText: 'MAMMA' }, weight: 6, required: false },
    // Portuguese and Spanish descriptions ("MAMA^ROTINA").
    { attribute: 'studyDescription', constraint: { containsText: 'MAMA' }, weight: 6, required: false },
    { attribute: 'mrRoles', constraint: { includes: 'dce' }, weight: 1, required: false },
  ],
  priors: { referenced: 1, rule: 'default' },
  stages: [
    {
      id: 'current-overview',
      name: 'Current overview',
      grid: { rows: 2, columns: 3 },
      slots: [
        mrSlot('current', 'mip', ['zoom'], 'fit'),
        mrSlot('current', 't2', ['current-slices', 'zoom'], 'fit'),
        mrSlot('current', 't1', ['current-slices', 'zoom'], 'fit'),
        mrSlot('current', 'dce', ['current-slices', 'zoom'], 'fit', 0),
        mrSlot('current', 'dce', ['current-slices', 'zoom'], 'fit', 1),
        mrSlot('current', 'subtraction', ['current-slices', 'zoom'], 'fit', 1),
      ],
      minSlotsMatched: 2,
      syncGroups: [{ id: 'current-slices', kind: 'slice-position' }, { id: 'zoom', kind: 'zoom-pan' }],
    },
    {
      id: 'subtraction-comparison',
      name: 'Subtraction current vs prior',
      grid: { rows: 2, columns: 2 },
      slots: [
        mrSlot('current', 'mip', ['zoom'], 'same-size'),
        mrSlot('prior', 'mip', ['zoom'], 'same-size'),
        mrSlot('current', 'subtraction', ['current-slices', ...BOTH], 'same-size', 1),
        mrSlot('prior', 'subtraction', ['prior-slices', ...BOTH], 'same-size', 1),
      ],
      minSlotsMatched: 3,
      requiresPrior: true,
      syncGroups: COMPARISON_SYNC,
    },
    {
      id: 't2-post-comparison',
      name: 'T2 and first post-contrast, current vs prior',
      grid: { rows: 2, columns: 2 },
      slots: [
        mrSlot('current', 't2', ['current-slices', ...BOTH], 'same-size'),
        mrSlot('prior', 't2', ['prior-slices', ...BOTH], 'same-size'),
        mrSlot('current', 'dce', ['current-slices', ...BOTH], 'same-size', 1),
        mrSlot('prior', 'dce', ['prior-slices', ...BOTH], 'same-size', 1),
      ],
      minSlotsMatched: 3,
      requiresPrior: true,
      syncGroups: COMPARISON_SYNC,
    },
    {
      // The time-intensity curve is drawn by the viewer's ROI tool; this stage only hangs its two series.
      id: 'kinetics',
      name: 'Kinetics (first post-contrast and subtraction; no curve chart yet)',
      grid: { rows: 1, columns: 2 },
      slots: [mrSlot('current', 'dce', ['current-slices', 'zoom'], 'fit', 1), mrSlot('current', 'subtraction', ['current-slices', 'zoom'], 'fit', 1)],
      minSlotsMatched: 2,
      syncGroups: [{ id: 'current-slices', kind: 'slice-position' }, { id: 'zoom', kind: 'zoom-pan' }],
    },
    {
      id: 'diffusion',
      name: 'Diffusion',
      grid: { rows: 1, columns: 2 },
      slots: [mrSlot('current', 'dwi', ['current-slices', 'zoom'], 'fit'), mrSlot('current', 'adc', ['current-slices', 'zoom'], 'fit')],
      minSlotsMatched: 2,
      syncGroups: [{ id: 'current-slices', kind: 'slice-position' }, { id: 'zoom', kind: 'zoom-pan' }],
    },
  ],
};
