import type { MrRole, ScalingMode, SlotDefinition } from '../protocol.ts';

/** One MR cell: a series role (and phase) of the current study or of the first prior, shown as acquired. */
export function mrSlot(study: 'current' | 'prior', seriesRole: MrRole, syncGroups: string[], scaling: ScalingMode, phase?: number): SlotDefinition {
  return {
    selector: {
      study,
      ...(study === 'prior' ? { priorNumber: 1 } : {}),
      seriesRole,
      ...(phase !== undefined ? { phase } : {}),
    },
    display: { orientation: 'as-stored', justification: 'center', scaling },
    syncGroups,
  };
}
