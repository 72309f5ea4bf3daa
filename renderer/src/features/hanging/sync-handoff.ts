import type { SlotSyncGroup, SlotSyncInfo } from './hanging-layout.ts';

/**
 * Where the hanging view hands its stage's sync groups (each with its viewports' slot names) to a
 * sync service. The service registers itself here; until one does, viewports are not linked.
 */
export type SyncLinker = (groups: SlotSyncGroup[], info: SlotSyncInfo) => () => void;

let linker: SyncLinker | null = null;

export function registerSyncLinker(next: SyncLinker | null): void {
  linker = next;
}

/** Links the groups; returns what unlinks them (when the stage changes or the view closes). */
export function linkSyncGroups(groups: SlotSyncGroup[], info: SlotSyncInfo): () => void {
  return linker ? linker(groups, info) : () => undefined;
}
