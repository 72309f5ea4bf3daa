import type { HangingProtocol } from '../../shared/hanging/protocol.ts';

/** A small valid user protocol: a current RCC/LCC pair, one stage. */
export function userProtocol(id: string, name = `Reader's ${id}`): HangingProtocol {
  const display = { orientation: 'mammo-target', justification: 'chest-wall', scaling: 'same-size' } as const;
  return {
    id,
    name,
    description: 'CC pair for a second look',
    level: 'user',
    displaySets: 'instance',
    activation: [{ attribute: 'modalities', constraint: { includes: 'MG' }, weight: 10, required: true }],
    priors: { referenced: 0, rule: 'default' },
    stages: [
      {
        id: 'cc-pair',
        name: 'CC pair',
        grid: { rows: 1, columns: 2 },
        slots: [
          { selector: { study: 'current', laterality: 'R', view: 'CC' }, display, syncGroups: ['pair'] },
          { selector: { study: 'current', laterality: 'L', view: 'CC' }, display, syncGroups: ['pair'] },
        ],
        minSlotsMatched: 1,
        syncGroups: [{ id: 'pair', kind: 'zoom-pan', mirrorHorizontalPan: true }],
      },
    ],
  };
}
