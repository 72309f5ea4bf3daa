import type { HangingProtocol } from '../protocol.ts';

/**
 * "MR – current vs prior" for neuro and musculoskeletal MR: each current series beside the prior
 * series of the same plane and sequence role (generated from what the studies hold).
 */
export const MR_COMPARISON: HangingProtocol = {
  id: 'mr-comparison',
  name: 'MR – current vs prior',
  description: 'Any MR study: current series paired with the prior series of the same plane and role; slices follow by position within a study and by a manual link across studies.',
  level: 'factory',
  displaySets: 'series',
  activation: [{ attribute: 'modalities', constraint: { includes: 'MR' }, weight: 2, required: true }],
  priors: { referenced: 1, rule: 'most-recent' },
  stages: [{ id: 'series-pairs', name: 'Series pairs current vs prior', grid: { rows: 1, columns: 2 }, slots: [], generator: 'mr-pairs', minSlotsMatched: 2, syncGroups: [] }],
};
