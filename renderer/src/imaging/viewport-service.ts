import { Enums, RenderingEngine, cache, eventTarget, metaData, utilities as csUtilities } from '@cornerstonejs/core';
import type { Types } from '@cornerstonejs/core';
import {
  AngleTool, EllipticalROITool, LengthTool, MagnifyTool, PanTool, ProbeTool, RectangleROITool, StackScrollTool,
  ToolGroupManager, WindowLevelTool, ZoomTool, Enums as ToolEnums, utilities as toolUtilities,
} from '@cornerstonejs/tools';
import { useViewer } from '../state/viewer.ts';
import type { ToolName } from '../state/viewer.ts';
import { IMAGE_CACHE_BYTES, calibrationOf, initImaging } from './init.ts';

export interface StackContent {
  imageIds: string[];
  studyInstanceUid: string;
  seriesInstanceUid: string;
  modality: string;
  /** The hanging-protocol slot that placed it, when one did. */
  slotName?: string;
}

const ENGINE_ID = 'concord';
const LOAD_LIMIT_MS = 30_000;
const TOOL_GROUP_ID = 'concord-stack';

const TOOL_CLASSES: Record<ToolName, { toolName: string }> = {
  WindowLevel: WindowLevelTool,
  Pan: PanTool,
  Zoom: ZoomTool,
  Length: LengthTool,
  Angle: AngleTool,
  EllipticalROI: EllipticalROITool,
  RectangleROI: RectangleROITool,
  Probe: ProbeTool,
  Magnify: MagnifyTool,
};

/** Window presets: [label, center, width]. Mammography first, then cross-sectional. */
export const WINDOW_PRESETS: [string, number, number][] = [
  ['Mammo: standard (12-bit)', 2048, 4096],
  ['Mammo: dense tissue', 1600, 1200],
  ['Mammo: calcifications', 2400, 800],
  ['MR: soft', 400, 800],
  ['CT: soft tissue', 40, 400],
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
 * Owns cornerstone's rendering engine, viewports and tool group. React mounts elements and asks for
 * content by slot id; everything cornerstone stays here.
 */
class ViewportService {
  private engine: RenderingEngine | null = null;
  private readonly contents = new Map<string, StackContent>();
  private readonly cine = new Map<string, number>();
  /** The window each viewport shows, as cornerstone last reported it. */
  private readonly windows = new Map<string, { lower: number; upper: number }>();

  /** A load that fails reaches the viewport showing that image, as a message, not a blank cell. */
  private readonly onLoadFailed = ((event: CustomEvent<{ imageId?: string; error?: unknown }>) => {
    for (const slot of this.contents.keys()) {
      const viewport = this.viewport(slot);
      if (viewport && event.detail.imageId && viewport.getCurrentImageId() === event.detail.imageId) {
        this.fail(slot, viewport.element as HTMLDivElement, `The image cannot be shown: ${errorText(event.detail.error)}`);
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
      for (const tool of [...Object.values(TOOL_CLASSES), StackScrollTool]) {
        group.addTool(tool.toolName);
      }
      this.applyTool(useViewer.getState().tool);
    }
    return this.engine;
  }

  private viewport(slot: string): Types.IStackViewport | null {
    return (this.engine?.getViewport(slot) as Types.IStackViewport | undefined) ?? null;
  }

  /** Left button runs the chosen tool; middle pans, right zooms, the wheel scrolls, as reading stations do. */
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
      group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: Mouse.Secondary }] });
    }
    group.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: Mouse.Wheel }] });
  }

  private describeElement(element: HTMLDivElement, content: StackContent, slot: string): void {
    element.dataset.studyUid = content.studyInstanceUid;
    element.dataset.seriesUid = content.seriesInstanceUid;
    element.dataset.slot = content.slotName ?? slot;
    element.dataset.rendered = 'false';
    element.dataset.flipH = 'false';
    element.dataset.flipV = 'false';
    delete element.dataset.renderError;
  }

  private readonly publishing = new Set<string>();

  /** Several cornerstone events arrive per frame: the overlay is brought up to date once per frame. */
  private publish(slot: string, element: HTMLDivElement): void {
    if (this.publishing.has(slot)) {
      return;
    }
    this.publishing.add(slot);
    requestAnimationFrame(() => {
      this.publishing.delete(slot);
      this.publishNow(slot, element);
    });
  }

  private publishNow(slot: string, element: HTMLDivElement): void {
    const viewport = this.viewport(slot);
    if (!viewport) {
      return;
    }
    const imageId = viewport.getCurrentImageId();
    // Image ids are built from the library's SOP Instance UIDs: read it back from the id itself.
    const sopInstanceUid = imageId ? (/\/dicom\/([0-9.]+)/.exec(imageId)?.[1] ?? null) : null;
    const properties = viewport.getProperties();
    const image = imageId ? cache.getImage(imageId) : undefined;
    const range =
      this.windows.get(slot) ??
      properties.voiRange ??
      this.defaultWindow(image);
    const camera = viewport.getViewPresentation();
    const scale = image && viewport.canvas.height > 0 ? viewport.getZoom() : null;
    element.dataset.sopInstanceUid = sopInstanceUid ?? '';
    element.dataset.flipH = String(Boolean(camera.flipHorizontal));
    element.dataset.flipV = String(Boolean(camera.flipVertical));
    useViewer.getState().updateSlot(slot, {
      imageIndex: viewport.getCurrentImageIdIndex(),
      imageCount: viewport.getImageIds().length,
      sopInstanceUid,
      windowCenter: range ? (range.upper + range.lower) / 2 : null,
      windowWidth: range ? range.upper - range.lower : null,
      zoom: scale,
      flipHorizontal: Boolean(camera.flipHorizontal),
      flipVertical: Boolean(camera.flipVertical),
      rotation: camera.rotation ?? 0,
      invert: Boolean(properties.invert),
      calibrationLabel: imageId ? (calibrationOf(imageId)?.label ?? null) : null,
    });
  }

  /** The image's own window (its first, when the header lists several). */
  private defaultWindow(image: Types.IImage | undefined): { lower: number; upper: number } | undefined {
    const first = (value: unknown): number => Number(Array.isArray(value) ? value[0] : value);
    const center = first(image?.windowCenter);
    const width = first(image?.windowWidth);
    return Number.isFinite(center) && Number.isFinite(width) && width > 0 ? { lower: center - width / 2, upper: center + width / 2 } : undefined;
  }

  /** Shows a stack in a slot's element; marks the element rendered, or why not. */
  async show(slot: string, element: HTMLDivElement, content: StackContent, initialIndex = 0): Promise<void> {
    const engine = await this.ensureEngine();
    this.contents.set(slot, content);
    this.describeElement(element, content, slot);
    useViewer.getState().updateSlot(slot, { status: 'loading', error: null });
    if (content.imageIds.length === 0) {
      this.fail(slot, element, 'This series holds no image Concord can display (for example a structured report or PDF).');
      return;
    }
    engine.enableElement({
      viewportId: slot,
      type: Enums.ViewportType.STACK,
      element,
      defaultOptions: { background: [0, 0, 0] },
    });
    ToolGroupManager.getToolGroup(TOOL_GROUP_ID)?.addViewport(slot, ENGINE_ID);
    element.addEventListener(Enums.Events.VOI_MODIFIED, ((event: CustomEvent<{ range?: { lower: number; upper: number } }>) => {
      if (event.detail.range) {
        this.windows.set(slot, event.detail.range);
      }
      this.publish(slot, element);
    }) as EventListener);
    // A new image, a new camera (zoom, pan, flip, rotation): the overlay follows.
    for (const name of [Enums.Events.STACK_NEW_IMAGE, Enums.Events.CAMERA_MODIFIED]) {
      element.addEventListener(name, () => this.publish(slot, element));
    }
    element.addEventListener(Enums.Events.IMAGE_RENDERED, () => {
      if (element.dataset.rendered !== 'true') {
        element.dataset.rendered = 'true';
        useViewer.getState().updateSlot(slot, { status: 'rendered' });
      }
      this.publish(slot, element);
    });
    const viewport = this.viewport(slot);
    if (!viewport) {
      this.fail(slot, element, 'the viewport could not be created');
      return;
    }
    // Never a frozen cell: a load that neither renders nor fails within the limit is reported.
    const watchdog = window.setTimeout(() => {
      if (element.dataset.rendered !== 'true' && !element.dataset.renderError) {
        this.fail(slot, element, `The image did not load within ${LOAD_LIMIT_MS / 1000} s.`);
      }
    }, LOAD_LIMIT_MS);
    try {
      await viewport.setStack(content.imageIds, Math.max(0, Math.min(content.imageIds.length - 1, initialIndex)));
      viewport.render();
    } catch (error) {
      this.fail(slot, element, `The image cannot be shown: ${errorText(error)}`);
    } finally {
      if (element.dataset.rendered === 'true' || element.dataset.renderError) {
        window.clearTimeout(watchdog);
      }
    }
  }

  private fail(slot: string, element: HTMLDivElement, reason: string): void {
    element.dataset.rendered = 'false';
    element.dataset.renderError = reason;
    useViewer.getState().updateSlot(slot, { status: 'error', error: reason });
  }

  hide(slot: string): void {
    this.stopCine(slot);
    if (this.engine?.getViewport(slot)) {
      ToolGroupManager.getToolGroup(TOOL_GROUP_ID)?.removeViewports(ENGINE_ID, slot);
      this.engine.disableElement(slot);
    }
    this.contents.delete(slot);
    this.windows.delete(slot);
    useViewer.getState().removeSlot(slot);
  }

  private change(slot: string, apply: (viewport: Types.IStackViewport) => void): void {
    const viewport = this.viewport(slot);
    if (viewport) {
      apply(viewport);
      viewport.render();
    }
  }

  scroll(slot: string, delta: number): void {
    this.change(slot, (viewport) => {
      const last = viewport.getImageIds().length - 1;
      const next = Math.min(last, Math.max(0, viewport.getCurrentImageIdIndex() + delta));
      void viewport.setImageIdIndex(next);
    });
  }

  setWindow(slot: string, center: number, width: number): void {
    this.change(slot, (viewport) => viewport.setProperties({ voiRange: { lower: center - width / 2, upper: center + width / 2 } }));
  }

  toggleInvert(slot: string): void {
    this.change(slot, (viewport) => viewport.setProperties({ invert: !viewport.getProperties().invert }));
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

  reset(slot: string): void {
    this.change(slot, (viewport) => {
      viewport.resetCamera();
      viewport.resetProperties();
    });
  }

  /** One image pixel per screen pixel. */
  actualPixels(slot: string): void {
    this.change(slot, (viewport) => {
      const imageId = viewport.getCurrentImageId();
      const image = imageId ? cache.getImage(imageId) : undefined;
      if (!image) {
        return;
      }
      viewport.resetCamera();
      const fit = Math.min(viewport.canvas.clientWidth / image.columns, viewport.canvas.clientHeight / image.rows);
      viewport.setZoom(1 / fit);
    });
  }

  toggleCine(slot: string, framesPerSecond = 15): void {
    if (this.cine.has(slot)) {
      this.stopCine(slot);
      return;
    }
    const element = this.viewport(slot)?.element;
    if (!element) {
      return;
    }
    toolUtilities.cine.playClip(element, { framesPerSecond, loop: true });
    this.cine.set(slot, framesPerSecond);
    useViewer.getState().updateSlot(slot, { playing: true });
  }

  private stopCine(slot: string): void {
    const element = this.viewport(slot)?.element;
    if (element && this.cine.has(slot)) {
      toolUtilities.cine.stopClip(element);
    }
    this.cine.delete(slot);
    useViewer.getState().updateSlot(slot, { playing: false });
  }

  resize(): void {
    this.engine?.resize(true, true);
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

  private currentImage(slot: string): Types.IImage | undefined {
    const imageId = this.viewport(slot)?.getCurrentImageId();
    return imageId ? cache.getImage(imageId) : undefined;
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
    const imageId = viewport?.getCurrentImageId();
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

