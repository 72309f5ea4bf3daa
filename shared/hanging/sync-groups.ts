import type { ResolvedLayout } from './layout.ts';
import type { SyncKind } from './protocol.ts';

/** A synchronisation group with the viewports in it: what the viewer's sync service is configured with. */
export interface SyncGroupConfig {
  id: string;
  kind: SyncKind;
  mirrorHorizontalPan?: boolean;
  slots: string[];
}

/** What the layout knows of a viewport that synchronisation needs: series role (window sync) and laterality (mirrored pan). */
export interface SyncSlotInfo {
  seriesRole?: string | null;
  laterality?: string | null;
}

/**
 * The sync service's configuration for a resolved layout: each of the stage's groups with the
 * viewports that name it (empty cells left out: they show nothing to follow), and each viewport's
 * series role and laterality.
 */
export function syncConfigOf(layout: Pick<ResolvedLayout, 'slots' | 'syncGroups'>): { groups: SyncGroupConfig[]; info: Record<string, SyncSlotInfo> } {
  const shown = layout.slots.filter((slot) => slot.empty === null);
  const groups = layout.syncGroups.map((group) => ({
    id: group.id,
    kind: group.kind,
    ...(group.mirrorHorizontalPan === undefined ? {} : { mirrorHorizontalPan: group.mirrorHorizontalPan }),
    slots: shown.filter((slot) => slot.syncGroups.includes(group.id)).map((slot) => slot.slot),
  }));
  const info = Object.fromEntries(shown.map((slot) => [slot.slot, { seriesRole: slot.seriesRole, laterality: slot.laterality }]));
  return { groups, info };
}
