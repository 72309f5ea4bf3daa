import { create } from 'zustand';
import type { SyncKind } from '../../../shared/hanging/protocol.ts';
import { parallel } from '../../../shared/dicom/slice-geometry.ts';
import type { SlicePlane } from '../../../shared/dicom/slice-geometry.ts';
import { followingSlices, linkAnchor } from '../../../shared/hanging/slice-sync.ts';
import type { LinkAnchor, SliceGroup, SyncStack } from '../../../shared/hanging/slice-sync.ts';
import { useViewer } from '../state/viewer.ts';
import { viewportService } from './viewport-service.ts';
import type { RelativePresentation, ViewportEvent } from './viewport-service.ts';

/** A synchronisation group of a stage (shared/hanging/protocol.ts SyncGroup) with the viewports (slot names) in it. */
export interface SyncGroupConfig {
  id: string;
  kind: SyncKind;
  mirrorHorizontalPan?: boolean;
  /** A window group whose members take each other's window whatever their series role (a stage's mammograms). */
  anyRole?: boolean;
  slots: string[];
}

/** What the layout knows of a viewport: its series role (window sync) and laterality (mirrored pan). */
export type SyncSlotInfo = Record<string, { seriesRole?: string | null; laterality?: string | null }>;

interface SyncState {
  /** Viewports whose slices move together through the reader's link. */
  linkedSlots: string[];
  /** The viewer has a manual slice group with at least two viewports: the Link button can act. */
  linkable: boolean;
  /** Viewports of a stage-wide window group that the reader took out of it: they keep their own window. */
  windowUnlinked: string[];
}

/** For the cells and the toolbar; the service alone changes it. */
export const useSync = create<SyncState>(() => ({ linkedSlots: [], linkable: false, windowUnlinked: [] }));

/** Zoom and pan closer than this count as unchanged (a slice change moves the camera along the normal only). */
const PRESENTATION_EPSILON = 1e-6;

function samePresentation(a: RelativePresentation | undefined, b: RelativePresentation): boolean {
  return Boolean(
    a && Math.abs(a.zoom - b.zoom) < PRESENTATION_EPSILON && Math.abs(a.pan[0] - b.pan[0]) < PRESENTATION_EPSILON && Math.abs(a.pan[1] - b.pan[1]) < PRESENTATION_EPSILON,
  );
}

/**
 * Keeps viewports together (domain reference b.4, b.5): slices by patient position within a frame of
 * reference and through the reader's link across studies, relative zoom and pan, and the window
 * between viewports of the same series role. The hanging view configures it with its stage's groups
 * (the layout's syncGroups with the slots that name them); the series viewer with its grid.
 *
 * Everything goes through the viewport service's own navigation (goTo, setWindow, setPresentation),
 * so each viewport still loads one image at a time, ends on the last one asked for, and is labelled
 * only from what it drew. A viewport moved by synchronisation does not move the others again: the
 * service ignores the events its own changes cause.
 */
class SyncService {
  private groups: SyncGroupConfig[] = [];
  private info: SyncSlotInfo = {};
  /** Per manual group, each linked viewport's slice when the reader linked. */
  private readonly links = new Map<string, Map<string, LinkAnchor>>();
  /**
   * The reader's viewport's presentation as last seen: the reader's change is measured against it.
   * Only the viewport the reader works in (the active one) leads zoom and pan, so only its is kept.
   */
  private readonly baselines = new Map<string, RelativePresentation>();
  private propagating = false;
  private unsubscribe: (() => void) | null = null;
  private unsubscribeActive: (() => void) | null = null;
  /** The viewport whose slice the reference lines show, or null when no other viewport can show one. */
  private referenceSource: string | null = null;
  /** Viewports the reader took out of their stage-wide window group (kept for the stage shown). */
  private readonly windowUnlinked = new Set<string>();

  /** Sets the groups (replacing any before); links of viewports no longer grouped are dropped. */
  configure(groups: SyncGroupConfig[], info: SyncSlotInfo = {}): void {
    this.groups = groups.map((group) => ({ ...group, slots: [...group.slots] }));
    this.info = info;
    // A new stage: every mammogram of it takes the stage's window again.
    this.windowUnlinked.clear();
    this.markWindowLinks();
    for (const [groupId, anchors] of this.links) {
      const group = this.groups.find((g) => g.id === groupId && g.kind === 'slice-manual');
      for (const slot of anchors.keys()) {
        if (!group?.slots.includes(slot)) {
          anchors.delete(slot);
        }
      }
    }
    this.pruneLinks();
    this.unsubscribe ??= viewportService.subscribe((event) => this.onEvent(event));
    this.unsubscribeActive ??= useViewer.subscribe((state, before) => {
      if (state.activeSlot !== before.activeSlot) {
        if (state.activeSlot) {
          this.rebase(state.activeSlot);
        }
        this.updateReferenceLines();
      }
    });
    const active = useViewer.getState().activeSlot;
    if (active) {
      this.rebase(active);
    }
    this.publish();
    this.updateReferenceLines();
  }

  /** No groups, no links: the viewer is closed. */
  clear(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.unsubscribeActive?.();
    this.unsubscribeActive = null;
    this.groups = [];
    this.updateReferenceLines();
    this.links.clear();
    this.windowUnlinked.clear();
    this.baselines.clear();
    this.publish();
  }

  /**
   * The reader has aligned the slices on screen: from now on the viewports of each manual group move
   * together, keeping the offset between the slices they show now.
   */
  link(): boolean {
    this.links.clear();
    for (const group of this.groups.filter((g) => g.kind === 'slice-manual')) {
      const anchors = new Map<string, LinkAnchor>();
      for (const slot of group.slots) {
        const stack = viewportService.syncStack(slot);
        const drawn = viewportService.position(slot)?.drawn;
        if (stack && drawn !== null && drawn !== undefined) {
          anchors.set(slot, linkAnchor(stack, drawn));
        }
      }
      if (anchors.size >= 2) {
        this.links.set(group.id, anchors);
      }
    }
    this.publish();
    return this.links.size > 0;
  }

  unlink(): void {
    this.links.clear();
    this.publish();
  }

  /** In a stage-wide window group (the stage's mammograms): a window set in it reaches the others. */
  inStageWindow(slot: string): boolean {
    return this.groups.some((g) => g.kind === 'voi' && g.anyRole && g.slots.length > 1 && g.slots.includes(slot));
  }

  /**
   * Takes a viewport out of its stage-wide window group, or puts it back: unlinked, it keeps its own
   * window and neither gives nor takes one. Put back, it takes the next window set in the stage.
   */
  toggleWindowLink(slot: string): void {
    if (!this.inStageWindow(slot)) {
      return;
    }
    if (!this.windowUnlinked.delete(slot)) {
      this.windowUnlinked.add(slot);
    }
    this.markWindowLinks();
    this.publish();
  }

  private markWindowLinks(): void {
    for (const slot of new Set(this.groups.filter((g) => g.kind === 'voi' && g.anyRole).flatMap((g) => g.slots))) {
      viewportService.markWindowLinked(slot, !this.windowUnlinked.has(slot));
    }
  }

  toggleLink(): void {
    if (this.links.size > 0) {
      this.unlink();
    } else {
      this.link();
    }
  }

  private onEvent(event: ViewportEvent): void {
    if (this.propagating) {
      return;
    }
    switch (event.kind) {
      case 'requested':
        this.followSlice(event.slot, event.index);
        break;
      case 'camera':
        // The reader zooms and pans in the viewport they work in; cameras also move when viewports are
        // set up, placed or refitted, which must not drag the rest along. Others' cameras lead nothing.
        if (useViewer.getState().activeSlot !== event.slot || !this.leadsZoomPan(event.slot)) {
          break;
        }
        if (event.byReader) {
          this.followCamera(event.slot);
        } else {
          this.rebase(event.slot);
        }
        break;
      case 'window':
        this.followWindow(event.slot, event.window);
        break;
      case 'shown':
        if (this.inStageWindow(event.slot)) {
          viewportService.markWindowLinked(event.slot, !this.windowUnlinked.has(event.slot));
        }
        if (useViewer.getState().activeSlot === event.slot) {
          this.rebase(event.slot);
        }
        this.alignShown(event.slot);
        this.updateReferenceLines();
        break;
      case 'hidden':
        // Another stack in the viewport: its anchor no longer means anything.
        for (const anchors of this.links.values()) {
          anchors.delete(event.slot);
        }
        this.baselines.delete(event.slot);
        this.pruneLinks();
        this.publish();
        this.updateReferenceLines();
        break;
    }
  }

  /** Runs changes to other viewports without taking their events for the reader's. */
  private quietly(work: () => void): void {
    this.propagating = true;
    try {
      work();
    } finally {
      this.propagating = false;
    }
  }

  private sliceGroups(): SliceGroup[] {
    return this.groups.filter((g): g is SyncGroupConfig & SliceGroup => g.kind === 'slice-position' || g.kind === 'slice-manual');
  }

  private stacks(groups: SliceGroup[]): Map<string, SyncStack> {
    const stacks = new Map<string, SyncStack>();
    for (const slot of new Set(groups.flatMap((g) => g.slots))) {
      const stack = viewportService.syncStack(slot);
      if (stack) {
        stacks.set(slot, stack);
      }
    }
    return stacks;
  }

  private followSlice(source: string, index: number): void {
    const groups = this.sliceGroups();
    if (!groups.some((g) => g.slots.includes(source))) {
      return;
    }
    const targets = followingSlices(groups, this.stacks(groups), this.links, source, index);
    this.quietly(() => {
      for (const [slot, target] of targets) {
        if (viewportService.position(slot)?.requested !== target) {
          viewportService.goTo(slot, target);
        }
      }
    });
  }

  /** A newly shown stack joins the slice its frame of reference or link is at (from the reader's viewport). */
  private alignShown(slot: string): void {
    const active = useViewer.getState().activeSlot;
    const source = active && active !== slot ? viewportService.position(active) : null;
    if (!active || !source) {
      return;
    }
    const groups = this.sliceGroups();
    const target = followingSlices(groups, this.stacks(groups), this.links, active, source.requested).get(slot);
    if (target !== undefined) {
      this.quietly(() => viewportService.goTo(slot, target));
    }
  }

  private mirrored(group: SyncGroupConfig, a: string, b: string): boolean {
    if (!group.mirrorHorizontalPan) {
      return false;
    }
    const left = this.info[a]?.laterality ?? null;
    const right = this.info[b]?.laterality ?? null;
    // Mirrored between a right and a left image; without lateralities the group's word is taken for every pair.
    return !left || !right || left !== right;
  }

  /** In a zoom-pan group with another viewport: its camera has somewhere to go. */
  private leadsZoomPan(slot: string): boolean {
    return this.groups.some((g) => g.kind === 'zoom-pan' && g.slots.length > 1 && g.slots.includes(slot));
  }

  private rebase(slot: string): void {
    const presentation = viewportService.presentation(slot);
    if (presentation) {
      this.baselines.set(slot, presentation);
    }
  }

  /**
   * The reader's zoom and pan, as a change of the canvas (magnified by r about some point, then
   * moved), applied to every viewport joined through the zoom-pan groups: each keeps its own
   * placement (same-size scaling, chest-wall justification) and takes the same change. Horizontal
   * movement is mirrored once per mirrored step of the way, so a right and a left image always move
   * back to back.
   */
  private followCamera(source: string): void {
    const now = viewportService.presentation(source);
    const before = this.baselines.get(source);
    if (!now) {
      return;
    }
    this.baselines.set(source, now);
    if (!before || samePresentation(before, now)) {
      return;
    }
    // Image centre offsets map as p -> ratio * p + shift (pan in canvas widths and heights).
    const ratio = now.zoom / before.zoom;
    const shift: [number, number] = [now.pan[0] - ratio * before.pan[0], now.pan[1] - ratio * before.pan[1]];
    const groups = this.groups.filter((g) => g.kind === 'zoom-pan');
    const mirroredBy = new Map<string, boolean>([[source, false]]);
    const queue = [source];
    this.quietly(() => {
      for (let slot = queue.shift(); slot !== undefined; slot = queue.shift()) {
        const mirrored = mirroredBy.get(slot) as boolean;
        for (const group of groups.filter((g) => g.slots.includes(slot))) {
          for (const other of group.slots.filter((s) => !mirroredBy.has(s))) {
            const flipped = mirrored !== this.mirrored(group, slot, other);
            mirroredBy.set(other, flipped);
            queue.push(other);
            const current = viewportService.presentation(other);
            if (current) {
              const next: RelativePresentation = {
                zoom: current.zoom * ratio,
                pan: [ratio * current.pan[0] + (flipped ? -shift[0] : shift[0]), ratio * current.pan[1] + shift[1]],
              };
              viewportService.setPresentation(other, next);
              this.baselines.delete(other);
            }
          }
        }
      }
    });
  }

  /**
   * The window follows only between viewports of the same series role (a T2 window means nothing on
   * a subtraction), or across a stage-wide group (the stage's mammograms), never to or from a viewport
   * the reader unlinked.
   */
  private followWindow(source: string, window: { center: number; width: number }): void {
    if (this.windowUnlinked.has(source)) {
      return;
    }
    const role = this.info[source]?.seriesRole ?? null;
    const targets = new Set<string>();
    for (const group of this.groups.filter((g) => g.kind === 'voi' && g.slots.includes(source) && (g.anyRole || role))) {
      for (const slot of group.slots) {
        if (slot !== source && !this.windowUnlinked.has(slot) && (group.anyRole || this.info[slot]?.seriesRole === role)) {
          targets.add(slot);
        }
      }
    }
    this.quietly(() => {
      for (const slot of targets) {
        viewportService.setWindow(slot, window.center, window.width);
      }
    });
  }

  /** The plane of the image a viewport shows, with its frame of reference. */
  private shownPlane(slot: string): { frameOfReferenceUid: string; plane: SlicePlane } | null {
    const stack = viewportService.syncStack(slot);
    const drawn = viewportService.position(slot)?.drawn;
    const plane = drawn === null || drawn === undefined ? null : stack?.planes[drawn];
    return stack?.frameOfReferenceUid && plane ? { frameOfReferenceUid: stack.frameOfReferenceUid, plane } : null;
  }

  /**
   * Reference lines from the reader's viewport, only where geometry allows: another viewport of the
   * same frame of reference showing a plane that is not parallel (the tool costs a redraw of every
   * viewport per camera change, so it stays off otherwise).
   */
  private updateReferenceLines(): void {
    const active = useViewer.getState().activeSlot;
    const grouped = new Set(this.sliceGroups().flatMap((g) => g.slots));
    const source = active && grouped.has(active) ? this.shownPlane(active) : null;
    const crossing = Boolean(
      source &&
        [...grouped].some((slot) => {
          const other = slot === active ? null : this.shownPlane(slot);
          return other && other.frameOfReferenceUid === source.frameOfReferenceUid && !parallel(other.plane, source.plane);
        }),
    );
    const wanted = crossing ? active : null;
    if (wanted !== this.referenceSource) {
      this.referenceSource = wanted;
      viewportService.showReferenceLines(wanted);
    }
  }

  /** A link needs two viewports. */
  private pruneLinks(): void {
    for (const [groupId, anchors] of this.links) {
      if (anchors.size < 2) {
        this.links.delete(groupId);
      }
    }
  }

  private publish(): void {
    const linkedSlots = [...new Set([...this.links.values()].flatMap((anchors) => [...anchors.keys()]))].sort();
    const linkable = this.groups.some((g) => g.kind === 'slice-manual' && g.slots.length >= 2);
    const windowUnlinked = [...this.windowUnlinked].sort();
    const current = useSync.getState();
    if (current.linkable !== linkable || current.linkedSlots.join() !== linkedSlots.join() || current.windowUnlinked.join() !== windowUnlinked.join()) {
      useSync.setState({ linkedSlots, linkable, windowUnlinked });
    }
  }
}

export const syncService = new SyncService();
