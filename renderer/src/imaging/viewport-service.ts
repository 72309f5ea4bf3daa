import { Enums, RenderingEngine, cache, eventTarget, imageLoader, metaData, utilities as csUtilities } from '@cornerstonejs/core';
import type { Types } from '@cornerstonejs/core';
import {
  AngleTool, EllipticalROITool, LengthTool, MagnifyTool, PanTool, ProbeTool, RectangleROITool, ReferenceLinesTool,
  ToolGroupManager, WindowLevelTool, Enums as ToolEnums,
} from '@cornerstonejs/tools';
import { AnchoredZoomTool, zoomCameraAbout } from './anchored-zoom-tool.ts';
import { useViewer } from '../state/viewer.ts';
import type { ToolName } from '../state/viewer.ts';
import { IMAGE_CACHE_BYTES, calibrationOf, initImaging } from './init.ts';
import { placeImage } from './placement.ts';
import type { PlacedView, Placement } from './placement.ts';
import type { SlicePlane } from '../../../shared/dicom/slice-geometry.ts';
import type { SyncStack } from '../../../shared/hanging/slice-sync.ts';
import { planeOf } from './slice-planes.ts';
import { headerWindow, percentileRange, rangeOfWindow as rangeOf, relativeWindow, wheelZoomFactor, windowOfRange as windowOf } from '../../../shared/dicom/display-window.ts';
import type { DisplayWindow, HeaderVoi, RelativeWindow, ValueRange } from '../../../shared/dicom/display-window.ts';

export type { DisplayWindow } from '../../../shared/dicom/display-window.ts';

export interface StackContent {
  imageIds: string[];
  studyInstanceUid: string;
  seriesInstanceUid: string;
  modality: string;
  /** The hanging-protocol slot that placed it, when one did. */
  slotName?: string;
  /** How a hanging protocol shows it (flips, rotation, justification, scale); fitted and centred without. */
  placement?: Placement;
}

/**
 * What happened in a viewport, for the synchronisation service: an image asked for (not yet drawn),
 * the camera moved, the reader set a window, a stack shown or taken away.
 */
export type ViewportEvent =
  | { kind: 'requested'; slot: string; index: number }
  /** `byReader` is false while Concord sets a new stack up or refits viewports to a new layout or window size. */
  | { kind: 'camera'; slot: string; byReader: boolean }
  | { kind: 'window'; slot: string; window: DisplayWindow }
  /** The stack's first frame is drawn. */
  | { kind: 'shown'; slot: string }
  | { kind: 'hidden'; slot: string };

/** Zoom relative to the image fitted to the viewport; pan as the image centre's offset from the canvas centre, in canvas widths and heights. */
export interface RelativePresentation {
  zoom: number;
  pan: [number, number];
}

const ENGINE_ID = 'concord';
const LOAD_LIMIT_MS = 30_000;
const TOOL_GROUP_ID = 'concord-stack';

const TOOL_CLASSES: Record<ToolName, { toolName: string }> = {
  WindowLevel: WindowLevelTool,
  Pan: PanTool,
  Zoom: AnchoredZoomTool,
  Length: LengthTool,
  Angle: AngleTool,
  EllipticalROI: EllipticalROITool,
  RectangleROI: RectangleROITool,
  Probe: ProbeTool,
  Magnify: MagnifyTool,
};

/**
 * Window presets, mammography first. A cross-sectional preset is relative to the series' own pixel
 * range (MR values have no fixed scale: a fixed number shows one scanner's breast nearly black);
 * only CT's Hounsfield units make a fixed window meaningful.
 */
export type WindowPreset = { label: string } & ({ window: DisplayWindow } | { relative: RelativeWindow });

export const WINDOW_PRESETS: WindowPreset[] = [
  { label: 'Mammo: standard (12-bit)', window: { center: 2048, width: 4096 } },
  { label: 'Mammo: dense tissue', window: { center: 1600, width: 1200 } },
  { label: 'Mammo: calcifications', window: { center: 2400, width: 800 } },
  { label: 'MR: soft (series range)', relative: { center: 0.4, width: 0.8 } },
  { label: 'CT: soft tissue', window: { center: 40, width: 400 } },
];

function errorText(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  if (error && typeof error === 'object' && 'error' in error) {
    return errorText((error as { error: unknown }).error);
  }
  return String(error);
}

/**
 * MONOCHROME1 shows low values white. The loader's image object often lacks the photometric
 * interpretation; the header's image pixel module always has it.
 */
const monochrome1ByImage = new Map<string, boolean>();

function isMonochrome1(image: Types.IImage): boolean {
  let known = monochrome1ByImage.get(image.imageId);
  if (known === undefined) {
    const module = metaData.get('imagePixelModule', image.imageId) as { photometricInterpretation?: string } | undefined;
    known = (image.photometricInterpretation ?? module?.photometricInterpretation ?? '').trim().toUpperCase() === 'MONOCHROME1';
    if (monochrome1ByImage.size > 4096) {
      monochrome1ByImage.clear();
    }
    monochrome1ByImage.set(image.imageId, known);
  }
  return known;
}

/** What a viewport has drawn, read when cornerstone reports the frame rendered: the label shows this and nothing else. */
export interface DrawnState {
  imageId: string;
  sopInstanceUid: string | null;
  imageIndex: number;
  imageCount: number;
  window: DisplayWindow | null;
  /** The VOI LUT function the window is applied with (LINEAR unless the header says SIGMOID). */
  voiFunction: string;
  zoom: number | null;
  /** Where the image's centre is drawn, from the canvas centre, in CSS pixels (right and down). */
  pan: [number, number];
  flipHorizontal: boolean;
  flipVertical: boolean;
  rotation: number;
  /** The reader's inversion, relative to the image's standard display (MONOCHROME1 shows white as low). */
  invert: boolean;
}

/** One window for a whole series, and the series' pixel range that relative presets are taken from. */
export interface SeriesDisplay {
  window: DisplayWindow;
  range: ValueRange;
  source: string;
}

/** Per viewport: what it shows, which image was asked for last, and the reader's window. */
interface SlotState {
  content: StackContent;
  element: HTMLDivElement;
  /** The image last asked for (wheel, keys, cine, slider): the viewport ends on it, dropping any in between. */
  requested: number;
  /** A load is in flight; further requests only move `requested`. */
  loading: boolean;
  /** The reader's window (a drag or a preset); null shows the series' window, else each image's own. */
  userWindow: DisplayWindow | null;
  /** A cross-sectional series' one window and pixel range (see `seriesDisplay`); null for single images. */
  series: SeriesDisplay | null;
  /** The reader's inversion, kept for the next images whatever their photometric interpretation. */
  userInvert: boolean;
  /** The window/level tool is being dragged: window changes in that time are the reader's. */
  dragging: boolean;
  cineTimer: number | null;
  drawn: DrawnState | null;
  /** The requested image could not be shown, and why: kept until an image asked for is drawn. */
  failed: { index: number; reason: string } | null;
  /** Each image's plane (image-ids.ts registers them), read once when synchronisation first asks. */
  planes: (SlicePlane | null)[] | null;
  detach: () => void;
}

/** A load that neither renders nor fails within the limit is reported, never a frozen cell. */
function withinLimit<T>(work: Promise<T>): Promise<T> {
  let timer = 0;
  const limit = new Promise<never>((_, reject) => {
    timer = window.setTimeout(() => reject(new Error(`the image did not load within ${LOAD_LIMIT_MS / 1000} s`)), LOAD_LIMIT_MS);
  });
  return Promise.race([work, limit]).finally(() => window.clearTimeout(timer));
}

/**
 * Owns cornerstone's rendering engine, viewports and tool group. React mounts elements and asks for
 * content by slot id; everything cornerstone stays here.
 *
 * Screen equals label: Concord, not cornerstone, moves through images. One load per viewport is in
 * flight at a time; requests that arrive meanwhile only move the target, so fast input drops the
 * images in between but always ends on the last one asked for. Every image gets its window set
 * explicitly. The overlay and the element's data attributes are written only when cornerstone
 * reports a frame rendered, from the image and settings that frame was drawn with.
 */
class ViewportService {
  private engine: RenderingEngine | null = null;
  private readonly slots = new Map<string, SlotState>();
  /** Bumped by every show and hide of a slot: work that awaited something checks it is still current. */
  private readonly generations = new Map<string, number>();
  /** The last placement asked for per slot, with the slot's generation then. */
  private readonly pendingPlacements = new Map<string, { generation: number; placement: Placement }>();
  private readonly listeners = new Set<(event: ViewportEvent) => void>();
  /** Viewports are being refitted to a new layout or window size: their cameras move, not by the reader. */
  private refitting = 0;

  /** Tells `listener` of every viewport event until the returned function is called. */
  subscribe(listener: (event: ViewportEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: ViewportEvent): void {
    for (const listener of this.listeners) {
      listener(event);
    }
  }

  /** A load that fails reaches the viewport showing that image, as a message, not a blank cell. */
  private readonly onLoadFailed = ((event: CustomEvent<{ imageId?: string; error?: unknown }>) => {
    for (const [slot, state] of this.slots) {
      const viewport = this.viewport(slot);
      if (viewport && event.detail.imageId && viewport.getImageIds()[state.requested] === event.detail.imageId) {
        this.fail(slot, state, `Image ${state.requested + 1} cannot be shown: ${errorText(event.detail.error)}`);
      }
    }
  }) as EventListener;

  private async ensureEngine(): Promise<RenderingEngine> {
    await initImaging();
    if (!this.engine) {
      eventTarget.addEventListener(Enums.Events.IMAGE_LOAD_FAILED, this.onLoadFailed);
      eventTarget.addEventListener(Enums.Events.IMAGE_LOAD_ERROR, this.onLoadFailed);
      this.engine = new RenderingEngine(ENGINE_ID);
      const group = ToolGroupManager.createToolGroup(TOOL_GROUP_ID);
      if (!group) {
        throw new Error('cannot create the tool group');
      }
      for (const tool of Object.values(TOOL_CLASSES)) {
        group.addTool(tool.toolName);
      }
      // Drawn only where a viewport of the same frame of reference shows another plane (see showReferenceLines).
      group.addTool(ReferenceLinesTool.toolName, { sourceViewportId: '', enforceSameFrameOfReference: true, showFullDimension: true });
      this.applyTool(useViewer.getState().tool);
    }
    return this.engine;
  }

  private viewport(slot: string): Types.IStackViewport | null {
    return (this.engine?.getViewport(slot) as Types.IStackViewport | undefined) ?? null;
  }

  /** Left button runs the chosen tool; middle pans, right zooms; the wheel scrolls (Concord's own, see `scroll`). */
  applyTool(tool: ToolName): void {
    const group = ToolGroupManager.getToolGroup(TOOL_GROUP_ID);
    if (!group) {
      return;
    }
    for (const name of Object.keys(TOOL_CLASSES) as ToolName[]) {
      group.setToolPassive(TOOL_CLASSES[name].toolName);
    }
    const Mouse = ToolEnums.MouseBindings;
    group.setToolActive(TOOL_CLASSES[tool].toolName, { bindings: [{ mouseButton: Mouse.Primary }] });
    if (tool !== 'Pan') {
      group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: Mouse.Auxiliary }] });
    }
    if (tool !== 'Zoom') {
      group.setToolActive(AnchoredZoomTool.toolName, { bindings: [{ mouseButton: Mouse.Secondary }] });
    }
  }

  private describeElement(element: HTMLDivElement, content: StackContent, slot: string): void {
    element.dataset.studyUid = content.studyInstanceUid;
    element.dataset.seriesUid = content.seriesInstanceUid;
    element.dataset.slot = content.slotName ?? slot;
    element.dataset.rendered = 'false';
    for (const name of ['sopInstanceUid', 'imageIndex', 'windowCenter', 'windowWidth', 'voiFunction', 'zoom', 'panX', 'panY', 'rotation', 'flipH', 'flipV', 'invert', 'renderError']) {
      delete element.dataset[name];
    }
  }

  /** What each image's header says of its window, read once: a frame cannot spare the metadata lookups. */
  private readonly headerVois = new Map<string, { window: DisplayWindow | null; sigmoid: boolean }>();

  private headerVoi(imageId: string): { window: DisplayWindow | null; sigmoid: boolean } {
    let known = this.headerVois.get(imageId);
    if (!known) {
      const module = metaData.get('voiLutModule', imageId) as (HeaderVoi & { voiLUTFunction?: unknown }) | undefined;
      // A string or a list of them, depending on the provider.
      const fn = [module?.voiLUTFunction].flat()[0];
      known = { window: headerWindow(module), sigmoid: String(fn ?? '').trim().toUpperCase() === 'SIGMOID' };
      if (this.headerVois.size > 4096) {
        this.headerVois.clear();
      }
      this.headerVois.set(imageId, known);
    }
    return known;
  }

  /**
   * The image's own window: its header's (first Window Center/Width pair, else its VOI LUT
   * Sequence's), else its full pixel range.
   */
  private imageWindow(image: Types.IImage): DisplayWindow {
    return this.headerVoi(image.imageId).window
      ?? windowOf({ lower: image.minPixelValue, upper: Math.max(image.maxPixelValue, image.minPixelValue + 1) });
  }

  /**
   * Sets the window the image in the viewport is drawn with: the reader's, else the series' (one
   * window for a whole cross-sectional series), else the image's own, applied with the header's VOI
   * LUT Function (SIGMOID as vendors send it for mammograms, else linear).
   */
  private applyWindow(state: SlotState, viewport: Types.IStackViewport): void {
    const image = viewport.getCornerstoneImage();
    if (!image) {
      return;
    }
    const { sigmoid } = this.headerVoi(image.imageId);
    // Without an event: only the reader's own drags are taken as the reader's window. Inversion is set
    // per image too, so a MONOCHROME1 image in a series never leaves the next MONOCHROME2 one inverted.
    viewport.setProperties(
      {
        voiRange: rangeOf(state.userWindow ?? state.series?.window ?? this.imageWindow(image)),
        VOILUTFunction: sigmoid ? Enums.VOILUTFunctionType.SAMPLED_SIGMOID : Enums.VOILUTFunctionType.LINEAR,
        invert: state.userInvert !== isMonochrome1(image),
      },
      true,
    );
  }

  /**
   * A cross-sectional series' one window and pixel range, computed once from its middle slice: the
   * window its header states, else the range between the 0.5th and 99.5th percentile of its values.
   * Every slice is then shown with it, so brightness does not jump while scrolling.
   */
  private async seriesDisplay(imageIds: string[]): Promise<SeriesDisplay | null> {
    const middle = imageIds[Math.floor(imageIds.length / 2)];
    if (!middle) {
      return null;
    }
    const image = await imageLoader.loadAndCacheImage(middle);
    const pixels = image.getPixelData() as ArrayLike<number>;
    const range = percentileRange(pixels, {
      slope: image.slope ?? 1,
      intercept: image.intercept ?? 0,
      stride: Math.max(1, Math.floor(pixels.length / 65536)),
    }) ?? { lower: image.minPixelValue, upper: Math.max(image.maxPixelValue, image.minPixelValue + 1) };
    const stated = this.headerVoi(middle).window;
    return { window: stated ?? windowOf(range), range, source: stated ? 'header of the middle slice' : 'pixel range of the middle slice' };
  }

  /** Image size in world units (mm, or pixels without a spacing) as the viewport lays it out. */
  private worldSize(viewport: Types.IStackViewport): [number, number] | null {
    const data = viewport.getImageData();
    if (!data) {
      return null;
    }
    return [data.dimensions[0] * data.spacing[0], data.dimensions[1] * data.spacing[1]];
  }

  /** Magnification against the image fitted to the viewport as it now is, from the camera itself. */
  private relativeZoom(viewport: Types.IStackViewport, rotation: number, parallelScale = viewport.getCamera().parallelScale): number | null {
    const size = this.worldSize(viewport);
    const { clientWidth, clientHeight } = viewport.canvas;
    if (!size || clientWidth <= 0 || clientHeight <= 0 || !parallelScale) {
      return null;
    }
    const [width, height] = rotation % 180 === 0 ? size : [size[1], size[0]];
    const fit = Math.max(height / 2, ((width / 2) * clientHeight) / clientWidth);
    // Twelve digits: a fitted image reads as zoom 1 at any canvas size, not 0.9999999999999999.
    return Math.round((fit / parallelScale) * 1e12) / 1e12;
  }

  /** Each image's centre in world coordinates, read once: the label is written every frame. */
  private readonly centres = new Map<string, Types.Point3 | null>();

  private panOf(viewport: Types.IStackViewport, image: Types.IImage): [number, number] {
    let world = this.centres.get(image.imageId);
    if (world === undefined) {
      if (this.centres.size > 4096) {
        this.centres.clear();
      }
      world = csUtilities.imageToWorldCoords(image.imageId, [image.columns / 2, image.rows / 2]) ?? null;
      this.centres.set(image.imageId, world);
    }
    if (!world) {
      return [0, 0];
    }
    const [x, y] = viewport.worldToCanvas(world);
    const round = (value: number): number => Math.round(value * 1000) / 1000;
    return [round(x - viewport.canvas.clientWidth / 2), round(y - viewport.canvas.clientHeight / 2)];
  }

  /** Reads what the frame just rendered was drawn with, and labels the viewport with it. */
  private onRendered(slot: string, state: SlotState): void {
    const viewport = this.viewport(slot);
    const image = viewport?.getCornerstoneImage();
    if (!viewport || !image) {
      return;
    }
    const imageIds = viewport.getImageIds();
    const properties = viewport.getProperties();
    // The camera and rotation alone: a full view presentation costs more than a frame can spare.
    const camera = viewport.getCamera();
    const rotation = ((Math.round(viewport.getRotation()) % 360) + 360) % 360;
    const monochrome1 = isMonochrome1(image);
    const drawn: DrawnState = {
      imageId: image.imageId,
      // Image ids are built from the library's SOP Instance UIDs: read it back from the id itself.
      sopInstanceUid: /\/dicom\/([0-9.]+)/.exec(image.imageId)?.[1] ?? null,
      imageIndex: imageIds.indexOf(image.imageId),
      imageCount: imageIds.length,
      window: properties.voiRange ? windowOf(properties.voiRange) : null,
      voiFunction: String(properties.VOILUTFunction ?? 'LINEAR').toUpperCase(),
      zoom: this.relativeZoom(viewport, rotation, camera.parallelScale),
      pan: this.panOf(viewport, image),
      flipHorizontal: Boolean(camera.flipHorizontal),
      flipVertical: Boolean(camera.flipVertical),
      rotation,
      invert: Boolean(properties.invert) !== monochrome1,
    };
    const firstFrame = state.drawn === null;
    state.drawn = drawn;
    if (state.failed && drawn.imageIndex === state.requested) {
      state.failed = null;
    }
    const data = state.element.dataset;
    data.rendered = 'true';
    if (state.failed) {
      data.renderError = state.failed.reason;
    } else {
      delete data.renderError;
    }
    data.sopInstanceUid = drawn.sopInstanceUid ?? '';
    data.imageIndex = String(drawn.imageIndex);
    data.windowCenter = drawn.window ? String(drawn.window.center) : '';
    data.windowWidth = drawn.window ? String(drawn.window.width) : '';
    data.voiFunction = drawn.voiFunction;
    data.zoom = drawn.zoom === null ? '' : String(drawn.zoom);
    data.panX = String(drawn.pan[0]);
    data.panY = String(drawn.pan[1]);
    data.rotation = String(drawn.rotation);
    data.flipH = String(drawn.flipHorizontal);
    data.flipV = String(drawn.flipVertical);
    data.invert = String(drawn.invert);
    useViewer.getState().updateSlot(slot, {
      status: state.failed ? 'error' : 'rendered',
      error: state.failed?.reason ?? null,
      imageIndex: drawn.imageIndex,
      imageCount: drawn.imageCount,
      sopInstanceUid: drawn.sopInstanceUid,
      windowCenter: drawn.window?.center ?? null,
      windowWidth: drawn.window?.width ?? null,
      voiFunction: drawn.voiFunction,
      zoom: drawn.zoom,
      flipHorizontal: drawn.flipHorizontal,
      flipVertical: drawn.flipVertical,
      rotation: drawn.rotation,
      invert: drawn.invert,
      calibrationLabel: calibrationOf(image.imageId)?.label ?? null,
    });
    if (firstFrame) {
      // Shown once something is drawn: its frame of reference and plane are known from then on.
      this.emit({ kind: 'shown', slot });
    }
  }

  /** Shows a stack in a slot's element; marks the element rendered, or why not. */
  async show(slot: string, element: HTMLDivElement, content: StackContent, initialIndex = 0): Promise<void> {
    const generation = (this.generations.get(slot) ?? 0) + 1;
    this.generations.set(slot, generation);
    const engine = await this.ensureEngine();
    if (this.generations.get(slot) !== generation) {
      return;
    }
    this.describeElement(element, content, slot);
    useViewer.getState().updateSlot(slot, { status: 'loading', error: null });
    if (content.imageIds.length === 0) {
      element.dataset.renderError = 'This series holds no image Concord can display (for example a structured report or PDF).';
      useViewer.getState().updateSlot(slot, { status: 'error', error: element.dataset.renderError });
      return;
    }
    engine.enableElement({
      viewportId: slot,
      type: Enums.ViewportType.STACK,
      element,
      defaultOptions: { background: [0, 0, 0] },
    });
    ToolGroupManager.getToolGroup(TOOL_GROUP_ID)?.addViewport(slot, ENGINE_ID);
    const first = Math.max(0, Math.min(content.imageIds.length - 1, initialIndex));
    const listeners: [EventTarget, string, EventListener][] = [];
    // A placement asked for after this show began (the cell's size became known meanwhile) is the newer one.
    const pending = this.pendingPlacements.get(slot);
    this.pendingPlacements.delete(slot);
    const state: SlotState = {
      content: pending?.generation === generation ? { ...content, placement: pending.placement } : content,
      element, requested: first, loading: true, userWindow: null, series: null, userInvert: false, dragging: false, cineTimer: null, drawn: null, failed: null, planes: null,
      detach: () => listeners.forEach(([target, name, listener]) => target.removeEventListener(name, listener)),
    };
    this.slots.get(slot)?.detach();
    this.slots.set(slot, state);
    useViewer.getState().updateSlot(slot, { requestedIndex: first });
    const listen = (target: EventTarget, name: string, listener: EventListener, options?: AddEventListenerOptions): void => {
      target.addEventListener(name, listener, options);
      listeners.push([target, name, listener]);
    };
    listen(element, Enums.Events.IMAGE_RENDERED, () => this.onRendered(slot, state));
    // A window the reader drags stays for the next images; the ones Concord or cornerstone set do not.
    listen(element, Enums.Events.VOI_MODIFIED, ((event: CustomEvent<{ range?: { lower: number; upper: number } }>) => {
      if (state.dragging && !state.loading && event.detail.range && useViewer.getState().tool === 'WindowLevel') {
        state.userWindow = windowOf(event.detail.range);
        this.emit({ kind: 'window', slot, window: state.userWindow });
      }
    }) as EventListener);
    // Before its first frame a viewport's camera is being set up (stack, fit, placement), not moved by the reader.
    listen(element, Enums.Events.CAMERA_MODIFIED, () => this.emit({ kind: 'camera', slot, byReader: this.refitting === 0 && state.drawn !== null }));
    listen(element, 'pointerdown', ((event: PointerEvent) => {
      state.dragging = event.button === 0;
    }) as EventListener);
    for (const name of ['pointerup', 'pointercancel']) {
      listen(window, name, () => {
        state.dragging = false;
      });
    }
    // The wheel scrolls one image a notch, through Concord's queue (never cornerstone's own debounce);
    // with Ctrl (or Cmd) held it zooms about the cursor, in the viewport the reader points at.
    listen(element, 'wheel', ((event: WheelEvent) => {
      if (event.deltaY === 0) {
        return;
      }
      event.preventDefault();
      if (event.ctrlKey || event.metaKey) {
        const box = element.getBoundingClientRect();
        useViewer.getState().setActiveSlot(slot);
        this.zoomAt(slot, [event.clientX - box.left, event.clientY - box.top], wheelZoomFactor(event.deltaY));
      } else {
        this.scroll(slot, Math.sign(event.deltaY));
      }
    }) as EventListener, { passive: false });
    const viewport = this.viewport(slot);
    if (!viewport) {
      this.fail(slot, state, 'the viewport could not be created');
      return;
    }
    // MR values have no fixed scale and each slice's header may window it differently: the series gets one window.
    const series = content.modality === 'MR' && content.imageIds.length > 1
      ? withinLimit(this.seriesDisplay(content.imageIds)).catch(() => null)
      : Promise.resolve(null);
    try {
      await withinLimit(viewport.setStack(content.imageIds, first));
      state.series = await series;
      if (this.slots.get(slot) === state) {
        if (state.content.placement) {
          this.applyPlacement(viewport, state.content.placement);
        }
        this.settle(slot, state, viewport, first);
      }
    } catch (error) {
      if (this.slots.get(slot) === state) {
        this.fail(slot, state, `The image cannot be shown: ${errorText(error)}`);
      }
    } finally {
      state.loading = false;
    }
    void this.pump(slot, state);
  }

  /**
   * After a load: the image asked for is windowed and drawn, or the viewport says it could not be
   * shown (cornerstone reports a failed load as done, leaving the previous image on screen).
   */
  private settle(slot: string, state: SlotState, viewport: Types.IStackViewport, target: number): void {
    const wanted = viewport.getImageIds()[target];
    if (viewport.getCornerstoneImage()?.imageId !== wanted) {
      const reason = state.failed?.index === target ? state.failed.reason : `Image ${target + 1} could not be loaded.`;
      this.fail(slot, state, state.drawn ? `${reason} The overlay names the image still shown.` : reason);
      return;
    }
    this.applyWindow(state, viewport);
    viewport.render();
  }

  /**
   * Loads the requested image, one at a time: while a load is in flight a newer request only moves
   * the target, and the loop goes straight to it when the load ends.
   */
  private async pump(slot: string, state: SlotState): Promise<void> {
    if (state.loading) {
      return;
    }
    state.loading = true;
    try {
      for (;;) {
        const viewport = this.viewport(slot);
        if (!viewport || this.slots.get(slot) !== state) {
          return;
        }
        const target = state.requested;
        if (viewport.getCurrentImageIdIndex() === target) {
          return;
        }
        await withinLimit(viewport.setImageIdIndex(target));
        if (this.slots.get(slot) !== state) {
          return;
        }
        this.settle(slot, state, viewport, target);
      }
    } catch (error) {
      if (this.slots.get(slot) === state) {
        this.fail(slot, state, `Image ${state.requested + 1} cannot be shown: ${errorText(error)}`);
      }
    } finally {
      state.loading = false;
    }
  }

  /** Asks for an image by index (clamped); the viewport ends on the last one asked for. */
  goTo(slot: string, index: number): void {
    const state = this.slots.get(slot);
    if (!state) {
      return;
    }
    const count = state.content.imageIds.length;
    state.requested = Math.max(0, Math.min(count - 1, Math.round(index)));
    useViewer.getState().updateSlot(slot, { requestedIndex: state.requested });
    void this.pump(slot, state);
    this.emit({ kind: 'requested', slot, index: state.requested });
  }

  /** Moves from the image last asked for, so ten quick notches are ten images whatever is on screen yet. */
  scroll(slot: string, delta: number): void {
    const state = this.slots.get(slot);
    if (state) {
      this.goTo(slot, state.requested + delta);
    }
  }

  /** The image asked for is not on screen, and why; `data-rendered` still says whether anything is. */
  private fail(slot: string, state: SlotState, reason: string): void {
    state.failed = { index: state.requested, reason };
    state.element.dataset.rendered = String(Boolean(state.drawn));
    state.element.dataset.renderError = reason;
    useViewer.getState().updateSlot(slot, { status: 'error', error: reason });
  }

  hide(slot: string): void {
    this.generations.set(slot, (this.generations.get(slot) ?? 0) + 1);
    this.stopCine(slot);
    this.slots.get(slot)?.detach();
    if (this.engine?.getViewport(slot)) {
      ToolGroupManager.getToolGroup(TOOL_GROUP_ID)?.removeViewports(ENGINE_ID, slot);
      this.engine.disableElement(slot);
    }
    this.slots.delete(slot);
    useViewer.getState().removeSlot(slot);
    this.emit({ kind: 'hidden', slot });
  }

  private change(slot: string, apply: (viewport: Types.IStackViewport, state: SlotState) => void): void {
    const viewport = this.viewport(slot);
    const state = this.slots.get(slot);
    if (viewport && state) {
      apply(viewport, state);
      viewport.render();
    }
  }

  /** A preset or typed window: the reader's, kept for the following images. */
  setWindow(slot: string, center: number, width: number): void {
    this.change(slot, (viewport, state) => {
      state.userWindow = { center, width: Math.max(1, width) };
      this.applyWindow(state, viewport);
      this.emit({ kind: 'window', slot, window: state.userWindow });
    });
  }

  /**
   * Draws, in every other viewport of the same frame of reference that shows another plane, the line
   * where the source viewport's slice cuts it; null hides the lines.
   */
  showReferenceLines(source: string | null): void {
    const group = ToolGroupManager.getToolGroup(TOOL_GROUP_ID);
    if (!group) {
      return;
    }
    if (source === null) {
      group.setToolDisabled(ReferenceLinesTool.toolName);
      return;
    }
    group.setToolConfiguration(ReferenceLinesTool.toolName, { sourceViewportId: source });
    group.setToolEnabled(ReferenceLinesTool.toolName);
  }

  /**
   * A stack's geometry for slice synchronisation: each image's plane and the Frame of Reference of the
   * image drawn (null until one is). Null for a slot showing nothing.
   */
  syncStack(slot: string): SyncStack | null {
    const state = this.slots.get(slot);
    if (!state) {
      return null;
    }
    state.planes ??= state.content.imageIds.map(planeOf);
    const drawn = state.drawn?.imageId;
    const module = drawn ? (metaData.get('imagePlaneModule', drawn) as { frameOfReferenceUID?: string } | undefined) : undefined;
    return { frameOfReferenceUid: module?.frameOfReferenceUID || null, planes: state.planes, count: state.content.imageIds.length };
  }

  /** The image last asked for, and the one on screen (null before the first is drawn). */
  position(slot: string): { requested: number; drawn: number | null } | null {
    const state = this.slots.get(slot);
    return state ? { requested: state.requested, drawn: state.drawn?.imageIndex ?? null } : null;
  }

  /** Zoom and pan relative to the viewport's fit and size: what zoom/pan synchronisation carries across images of other sizes. */
  presentation(slot: string): RelativePresentation | null {
    const viewport = this.viewport(slot);
    const image = viewport?.getCornerstoneImage();
    const zoom = viewport ? this.relativeZoom(viewport, Math.round(viewport.getRotation())) : null;
    if (!viewport || !image || zoom === null) {
      return null;
    }
    const [x, y] = this.panOf(viewport, image);
    return { zoom, pan: [x / viewport.canvas.clientWidth, y / viewport.canvas.clientHeight] };
  }

  /** Zooms and pans a viewport to a relative presentation (see `presentation`), keeping its flips and rotation. */
  setPresentation(slot: string, wanted: RelativePresentation): void {
    const viewport = this.viewport(slot);
    const image = viewport?.getCornerstoneImage();
    const zoom = viewport ? this.relativeZoom(viewport, Math.round(viewport.getRotation())) : null;
    if (!viewport || !image || zoom === null || !(wanted.zoom > 0)) {
      return;
    }
    // Only real changes, and a frame drawn only for one: rounding noise would turn a fitted zoom of 1
    // into 0.9999999, and a large image costs a full redraw for nothing.
    let changed = false;
    if (Math.abs(wanted.zoom / zoom - 1) > 1e-9) {
      viewport.setZoom((viewport.getZoom() * wanted.zoom) / zoom);
      changed = true;
    }
    // Move the camera so the image centre lands where asked: the canvas offset, in world units.
    const [x, y] = this.panOf(viewport, image);
    const { clientWidth, clientHeight } = viewport.canvas;
    const dx = wanted.pan[0] * clientWidth - x;
    const dy = wanted.pan[1] * clientHeight - y;
    if (Math.abs(dx) >= 1e-3 || Math.abs(dy) >= 1e-3) {
      const from = viewport.canvasToWorld([clientWidth / 2, clientHeight / 2]);
      const to = viewport.canvasToWorld([clientWidth / 2 + dx, clientHeight / 2 + dy]);
      const camera = viewport.getCamera();
      const shift = [to[0] - from[0], to[1] - from[1], to[2] - from[2]];
      const moved = (point: Types.Point3 | undefined): Types.Point3 | undefined =>
        point && [point[0] - (shift[0] as number), point[1] - (shift[1] as number), point[2] - (shift[2] as number)];
      viewport.setCamera({ focalPoint: moved(camera.focalPoint), position: moved(camera.position) });
      changed = true;
    }
    if (changed) {
      viewport.render();
    }
  }

  /**
   * Magnifies by `factor` about a canvas point (CSS pixels from the canvas' top left): the image point
   * under it stays where it is. A camera change by the reader, so its zoom-pan group follows.
   */
  zoomAt(slot: string, point: [number, number], factor: number): void {
    this.change(slot, (viewport) => zoomCameraAbout(viewport, point, factor));
  }

  /** A window preset: a fixed one, or one relative to the series' pixel range (the image's, for a single image). */
  applyPreset(slot: string, preset: WindowPreset): void {
    const state = this.slots.get(slot);
    const image = this.currentImage(slot);
    if (!state || !image) {
      return;
    }
    let window: DisplayWindow;
    if ('window' in preset) {
      window = preset.window;
    } else {
      const pixels = image.getPixelData() as ArrayLike<number>;
      const range = state.series?.range
        ?? percentileRange(pixels, { slope: image.slope ?? 1, intercept: image.intercept ?? 0, stride: Math.max(1, Math.floor(pixels.length / 65536)) })
        ?? { lower: image.minPixelValue, upper: image.maxPixelValue };
      window = relativeWindow(range, preset.relative);
    }
    this.setWindow(slot, window.center, window.width);
  }

  /** The series' one window and pixel range, for tests and the overlay; null for a single image or before it is known. */
  seriesWindow(slot: string): SeriesDisplay | null {
    return this.slots.get(slot)?.series ?? null;
  }

  /** Marks whether a viewport's window follows the stage's (the cell says so; the sync service decides). */
  markWindowLinked(slot: string, linked: boolean | null): void {
    const element = this.slots.get(slot)?.element;
    if (element) {
      if (linked === null) {
        delete element.dataset.windowLinked;
      } else {
        element.dataset.windowLinked = String(linked);
      }
    }
  }

  toggleInvert(slot: string): void {
    this.change(slot, (viewport, state) => {
      state.userInvert = !state.userInvert;
      this.applyWindow(state, viewport);
    });
  }

  flip(slot: string, axis: 'horizontal' | 'vertical'): void {
    this.change(slot, (viewport) => {
      const view = viewport.getViewPresentation();
      viewport.setViewPresentation(axis === 'horizontal' ? { flipHorizontal: !view.flipHorizontal } : { flipVertical: !view.flipVertical });
    });
  }

  rotate(slot: string, degrees: number): void {
    this.change(slot, (viewport) => {
      const view = viewport.getViewPresentation();
      viewport.setViewPresentation({ rotation: (((view.rotation ?? 0) + degrees) % 360 + 360) % 360 });
    });
  }

  /** Back to the image's own window (or full range), no inversion, and fitted without flip or rotation (or as its hanging protocol placed it). */
  reset(slot: string): void {
    this.change(slot, (viewport, state) => {
      state.userWindow = null;
      viewport.resetCamera();
      if (state.content.placement) {
        this.applyPlacement(viewport, state.content.placement);
      }
      state.userInvert = false;
      this.applyWindow(state, viewport);
    });
  }

  /** One image pixel per screen pixel. */
  actualPixels(slot: string): void {
    this.change(slot, (viewport) => {
      const image = viewport.getCornerstoneImage();
      if (!image) {
        return;
      }
      const view = viewport.getViewPresentation();
      this.fit(viewport, view);
      const fit = Math.min(viewport.canvas.clientWidth / image.columns, viewport.canvas.clientHeight / image.rows);
      viewport.setZoom(1 / fit);
    });
  }

  /** Refits the image to the viewport's present size, keeping flips and rotation. */
  private fit(viewport: Types.IStackViewport, view: { flipHorizontal?: boolean; flipVertical?: boolean; rotation?: number }): void {
    viewport.resetCamera();
    const rotation = view.rotation ?? 0;
    viewport.setViewPresentation({ flipHorizontal: Boolean(view.flipHorizontal), flipVertical: Boolean(view.flipVertical), rotation });
    // The camera fitted the image unrotated: a quarter turn of a non-square image needs its own fit.
    const zoom = this.relativeZoom(viewport, rotation);
    if (zoom !== null && Math.abs(zoom - 1) > 1e-6) {
      viewport.setZoom(viewport.getZoom() / zoom);
    }
  }

  /**
   * After the window or the grid changes size. A new layout fits every image to its new cell (a
   * viewport never keeps a zoom measured against its old size); a resized window keeps each
   * viewport's magnification relative to its fit.
   */
  resize(refit = false): void {
    if (!this.engine) {
      return;
    }
    const before = new Map<string, { view: ReturnType<Types.IStackViewport['getViewPresentation']>; zoom: number | null }>();
    for (const slot of this.slots.keys()) {
      const viewport = this.viewport(slot);
      if (viewport?.getCornerstoneImage()) {
        const view = viewport.getViewPresentation();
        before.set(slot, { view, zoom: this.relativeZoom(viewport, view.rotation ?? 0) });
      }
    }
    this.refitting += 1;
    try {
      this.engine.resize(true, true);
      for (const [slot, { view, zoom }] of before) {
        const viewport = this.viewport(slot);
        if (!viewport) {
          continue;
        }
        const placement = this.slots.get(slot)?.content.placement;
        if (placement) {
          // A hung image keeps its protocol's placement, recomputed for the new cell size.
          this.applyPlacement(viewport, placement);
        } else {
          this.fit(viewport, view);
          if (!refit && zoom !== null && Math.abs(zoom - 1) > 1e-6) {
            viewport.setZoom(viewport.getZoom() * zoom);
          }
        }
        viewport.render();
      }
    } finally {
      this.refitting -= 1;
    }
  }

  /** The zoom and pan a placement gives the image shown, for the viewport's present size; null without an image. */
  private placedView(viewport: Types.IStackViewport, placement: Placement): PlacedView | null {
    const data = viewport.getImageData();
    const { clientWidth, clientHeight } = viewport.canvas;
    if (!data || clientWidth <= 0 || clientHeight <= 0) {
      return null;
    }
    // dimensions and spacing are (column, row): x first.
    return placeImage(
      { width: clientWidth, height: clientHeight },
      { rows: data.dimensions[1], columns: data.dimensions[0], worldSpacing: [data.spacing[1], data.spacing[0]] },
      placement,
    );
  }

  /**
   * A hanging protocol's placement for the image in a slot: flips and rotation, then the magnification
   * and the pan that pin it to its justified edges at its scale. The label reads it all back from the
   * camera when the frame is drawn, as for any other view.
   */
  private applyPlacement(viewport: Types.IStackViewport, placement: Placement): void {
    const image = viewport.getCornerstoneImage();
    const placed = this.placedView(viewport, placement);
    if (!image || !placed) {
      return;
    }
    this.fit(viewport, placement);
    const camera = viewport.getCamera();
    if (camera.parallelScale) {
      viewport.setCamera({ parallelScale: camera.parallelScale / placed.zoom });
    }
    // Move the camera so the image centre lands where the justification puts it (canvas units are CSS pixels).
    const [x, y] = this.panOf(viewport, image);
    const from = viewport.canvasToWorld([0, 0]);
    const to = viewport.canvasToWorld([placed.pan[0] - x, placed.pan[1] - y]);
    const shift = [to[0] - from[0], to[1] - from[1], to[2] - from[2]];
    const moved = viewport.getCamera();
    const minus = (point: Types.Point3 | undefined): Types.Point3 | undefined =>
      point && [point[0] - (shift[0] as number), point[1] - (shift[1] as number), point[2] - (shift[2] as number)];
    viewport.setCamera({ focalPoint: minus(moved.focalPoint), position: minus(moved.position) });
  }

  /** A slot's new placement (its cell or the stage's common scale changed), applied to the image shown. */
  setPlacement(slot: string, placement: Placement): void {
    // Kept for a show of this slot still starting (waiting for the engine), which has no state yet.
    this.pendingPlacements.set(slot, { generation: this.generations.get(slot) ?? 0, placement });
    const state = this.slots.get(slot);
    if (!state) {
      return;
    }
    state.content = { ...state.content, placement };
    // Concord's own camera move (a new cell size or stage scale), not the reader's: synchronisation ignores it.
    this.refitting += 1;
    try {
      this.change(slot, (viewport) => this.applyPlacement(viewport, placement));
    } finally {
      this.refitting -= 1;
    }
  }

  /** Cine through Concord's queue: when drawing falls behind, images are dropped, never the order. */
  toggleCine(slot: string, framesPerSecond = 15): void {
    const state = this.slots.get(slot);
    if (!state) {
      return;
    }
    if (state.cineTimer !== null) {
      this.stopCine(slot);
      return;
    }
    const count = state.content.imageIds.length;
    state.cineTimer = window.setInterval(() => this.goTo(slot, (state.requested + 1) % count), 1000 / framesPerSecond);
    useViewer.getState().updateSlot(slot, { playing: true });
  }

  private stopCine(slot: string): void {
    const state = this.slots.get(slot);
    if (state?.cineTimer !== null && state?.cineTimer !== undefined) {
      window.clearInterval(state.cineTimer);
      state.cineTimer = null;
    }
    useViewer.getState().updateSlot(slot, { playing: false });
  }

  cacheBytes(): { used: number; cap: number } {
    return { used: cache.getCacheSize(), cap: IMAGE_CACHE_BYTES };
  }

  /** For tests and support: what a viewport shows, down to its decoded pixels. */
  inspect(slot: string): Record<string, unknown> | null {
    const viewport = this.viewport(slot);
    const imageId = viewport?.getCurrentImageId();
    if (!viewport || !imageId) {
      return null;
    }
    const image = cache.getImage(imageId);
    return {
      imageId,
      status: useViewer.getState().slots[slot],
      properties: viewport.getProperties(),
      generalImage: metaData.get('generalImageModule', imageId),
      sopCommon: metaData.get('sopCommonModule', imageId),
      imagePlane: metaData.get('imagePlaneModule', imageId),
      voiLut: metaData.get('voiLutModule', imageId),
      rows: image?.rows,
      columns: image?.columns,
      windowCenter: image?.windowCenter,
      windowWidth: image?.windowWidth,
    };
  }

  /** The image the viewport has drawn (not one still loading). */
  private currentImage(slot: string): Types.IImage | undefined {
    return this.viewport(slot)?.getCornerstoneImage() ?? undefined;
  }

  /** Every `stride`-th decoded stored value of the image a viewport shows, and a digest of them all. */
  async pixelSample(slot: string, stride: number): Promise<{ length: number; sha256: string; sample: number[]; type: string } | null> {
    const image = this.currentImage(slot);
    if (!image) {
      return null;
    }
    const pixels = image.getPixelData() as Uint8Array | Int16Array | Uint16Array | Float32Array;
    const digest = await crypto.subtle.digest('SHA-256', new Uint8Array(pixels.buffer as ArrayBuffer, pixels.byteOffset, pixels.byteLength));
    const sample: number[] = [];
    for (let i = 0; i < pixels.length; i += stride) {
      sample.push(pixels[i] as number);
    }
    return {
      length: pixels.length,
      sha256: Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join(''),
      sample,
      type: pixels.constructor.name,
    };
  }

  /**
   * What the screen shows at image pixels (column, row): the red channel of the viewport's canvas
   * at each pixel's centre. Lets a test compare the rendering with a reference renderer.
   */
  canvasAt(slot: string, points: [number, number][]): number[] | null {
    const viewport = this.viewport(slot);
    const imageId = viewport?.getCornerstoneImage()?.imageId;
    const context = viewport?.canvas.getContext('2d');
    if (!viewport || !imageId || !context) {
      return null;
    }
    const ratio = viewport.canvas.width / viewport.canvas.clientWidth;
    const data = context.getImageData(0, 0, viewport.canvas.width, viewport.canvas.height);
    return points.map(([column, row]) => {
      const world = csUtilities.imageToWorldCoords(imageId, [column + 0.5, row + 0.5]);
      if (!world) {
        return -1;
      }
      const [x, y] = viewport.worldToCanvas(world);
      const px = Math.floor(x * ratio);
      const py = Math.floor(y * ratio);
      return data.data[(py * data.width + px) * 4] ?? -1;
    });
  }
}

export const viewportService = new ViewportService();

