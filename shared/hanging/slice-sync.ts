import { nearestSlice, nearestSliceAt, slicePosition } from '../dicom/slice-geometry.ts';
import type { SlicePlane } from '../dicom/slice-geometry.ts';

/**
 * Which slice each synchronised viewport goes to when one moves (domain reference b.5): within one
 * Frame of Reference, the slice nearest the same patient position; across frames of reference only
 * through the offset the reader kept when linking a slice pair ("slice-manual"). Pure: the viewer
 * supplies the stacks' geometry and carries the answer out through its own navigation.
 */

export interface SyncStack {
  /** Frame of Reference UID of the stack's images; null when unknown (no slice-position sync then). */
  frameOfReferenceUid: string | null;
  /** Each image's plane, null where the header gives no geometry. */
  planes: readonly (SlicePlane | null)[];
  count: number;
}

export interface SliceGroup {
  id: string;
  kind: 'slice-position' | 'slice-manual';
  slots: readonly string[];
}

/** A slot's slice when the reader linked: its index, and its position along its normal in mm when known. */
export interface LinkAnchor {
  index: number;
  position: number | null;
}

/** Per manual group, the anchor of each linked slot. */
export type SliceLinks = ReadonlyMap<string, ReadonlyMap<string, LinkAnchor>>;

export function linkAnchor(stack: SyncStack, index: number): LinkAnchor {
  const plane = stack.planes[index];
  return { index, position: plane ? slicePosition(plane) : null };
}

function clampIndex(stack: SyncStack, index: number): number {
  return Math.max(0, Math.min(stack.count - 1, Math.round(index)));
}

/**
 * Through a link: the same distance moved from the anchor, in mm along each stack's own normal when
 * both have geometry (the slice spacing may differ between studies), else in images.
 */
function throughLink(from: SyncStack, fromAnchor: LinkAnchor, index: number, to: SyncStack, toAnchor: LinkAnchor): number | null {
  const plane = from.planes[index];
  if (plane && fromAnchor.position !== null && toAnchor.position !== null) {
    return nearestSliceAt(to.planes, toAnchor.position + slicePosition(plane) - fromAnchor.position);
  }
  return clampIndex(to, toAnchor.index + index - fromAnchor.index);
}

function byPosition(from: SyncStack, index: number, to: SyncStack): number | null {
  const plane = from.planes[index];
  if (!plane || !from.frameOfReferenceUid || from.frameOfReferenceUid !== to.frameOfReferenceUid) {
    return null;
  }
  return nearestSlice(to.planes, plane.position, plane.normal);
}

/**
 * The slice each other viewport should show when `source` asks for `index`. Moves spread through the
 * groups (a viewport moved by a link moves its own frame of reference's viewports by position); a
 * reader's link wins over position where both join two viewports. The source itself is not in the answer.
 */
export function followingSlices(
  groups: readonly SliceGroup[],
  stacks: ReadonlyMap<string, SyncStack>,
  links: SliceLinks,
  source: string,
  index: number,
): Map<string, number> {
  const placed = new Map<string, number>([[source, index]]);
  const queue: string[] = [source];
  // Links first: where a reader linked two viewports, that offset is the one they asked for.
  const ordered = [...groups].sort((a, b) => Number(a.kind === 'slice-position') - Number(b.kind === 'slice-position'));
  for (let slot = queue.shift(); slot !== undefined; slot = queue.shift()) {
    const from = stacks.get(slot);
    const at = placed.get(slot) as number;
    if (!from) {
      continue;
    }
    for (const group of ordered) {
      if (!group.slots.includes(slot)) {
        continue;
      }
      const anchors = links.get(group.id);
      for (const other of group.slots) {
        const to = stacks.get(other);
        if (placed.has(other) || !to) {
          continue;
        }
        const fromAnchor = anchors?.get(slot);
        const toAnchor = anchors?.get(other);
        const target =
          group.kind === 'slice-position'
            ? byPosition(from, at, to)
            : fromAnchor && toAnchor
              ? throughLink(from, fromAnchor, at, to, toAnchor)
              : null;
        if (target !== null) {
          placed.set(other, target);
          queue.push(other);
        }
      }
    }
  }
  placed.delete(source);
  return placed;
}
