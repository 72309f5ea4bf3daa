import { cache, getRenderingCapabilities, getShouldUseCPURendering, init as initCore, metaData } from '@cornerstonejs/core';
import { init as initDicomLoader, wadouri } from '@cornerstonejs/dicom-image-loader';
import {
  AngleTool, EllipticalROITool, LengthTool, MagnifyTool, PanTool, ProbeTool, RectangleROITool,
  ReferenceLinesTool, WindowLevelTool, addTool, init as initTools,
} from '@cornerstonejs/tools';
import { AnchoredZoomTool } from './anchored-zoom-tool.ts';
import { resolveCalibration } from '../../../shared/dicom/calibration.ts';
import type { Calibration, CalibrationInput } from '../../../shared/dicom/calibration.ts';
import { voiLutOf } from '../../../shared/dicom/display-window.ts';
import type { NaturalizedVoiLut } from '../../../shared/dicom/display-window.ts';

/** The image cache's cap: scrolling a long series never grows the renderer past it. */
export const IMAGE_CACHE_BYTES = 512 * 1024 * 1024;

let ready: Promise<void> | null = null;

export type RenderMode = 'gpu' | 'cpu';

export interface RendererInfo {
  mode: RenderMode;
  /** WebGL on a GPU. Otherwise images are the same, but every frame is drawn by the CPU: slower. */
  accelerated: boolean;
  /** The WebGL renderer's name, as the browser reports it ('' without WebGL). */
  webglRenderer: string;
  reason: string;
}

let rendererInfo: RendererInfo | null = null;

/**
 * What cornerstone chose: WebGL whenever the browser has it, also when WebGL is a software rasterizer
 * (no GPU: a virtual desktop, a headless browser), which is slower. Its CPU path is only the last
 * resort: it has its own zoom semantics and no VOI LUT functions (mammograms use SIGMOID), so it is
 * not a diagnostic rendering Concord chooses.
 */
function describeRenderer(): RendererInfo {
  const capabilities = getRenderingCapabilities();
  const reason = !capabilities.webgl
    ? 'no WebGL'
    : capabilities.softwareRasterizer
      ? 'WebGL on a software rasterizer (no GPU): slower'
      : 'WebGL on a GPU';
  const mode: RenderMode = getShouldUseCPURendering() ? 'cpu' : 'gpu';
  return {
    mode,
    accelerated: mode === 'gpu' && Boolean(capabilities.webgl) && !capabilities.softwareRasterizer,
    webglRenderer: capabilities.renderer ?? '',
    reason,
  };
}

export function currentRenderer(): RendererInfo | null {
  return rendererInfo;
}

const calibrations = new Map<string, Calibration>();

/** Concord's own calibration of each image, from the header values its index holds (shared/dicom/calibration.ts). */
export function registerCalibration(imageId: string, input: CalibrationInput): void {
  calibrations.set(imageId, resolveCalibration(input));
}

export function calibrationOf(imageId: string): Calibration | null {
  return calibrations.get(imageId) ?? null;
}

/**
 * Concord owns the spacing measurements use: projection images (mammograms) are corrected for
 * magnification by its own rules, not cornerstone's. This provider answers before cornerstone's own.
 */
function registerCalibrationProvider(): void {
  metaData.addProvider((type: string, imageId: string) => {
    if (type !== 'imagePlaneModule' || !imageId.startsWith('wadouri:')) {
      return undefined;
    }
    const calibration = calibrationOf(imageId);
    if (!calibration) {
      return undefined;
    }
    const base = wadouri.metaData.metaDataProvider(type, imageId) as Record<string, unknown> | undefined;
    if (!base || !calibration || calibration.rowSpacingMm === null || calibration.columnSpacingMm === null) {
      return base;
    }
    return {
      ...base,
      rowPixelSpacing: calibration.rowSpacingMm,
      columnPixelSpacing: calibration.columnSpacingMm,
      pixelSpacing: [calibration.rowSpacingMm, calibration.columnSpacingMm],
      usingDefaultValues: false,
    };
  }, 10_000);
}

/**
 * The VOI LUT module with the VOI LUT Sequence. Cornerstone's own module (from its tag list) has
 * Window Center/Width and the VOI LUT Function but leaves the sequence out, so a vendor's LUT would
 * be lost and the image shown at its full range; here it is read from the header as loaded.
 */
function registerVoiLutProvider(): void {
  metaData.addProvider((type: string, imageId: string) => {
    if (type !== 'voiLutModule' || !imageId.startsWith('wadouri:')) {
      return undefined;
    }
    const header = metaData.get('instance', imageId) as NaturalizedHeader | undefined;
    // A sequence of one item can come as the item itself.
    const items = header?.VOILUTSequence;
    const sequence = (Array.isArray(items) ? items : items && typeof items === 'object' ? [items] : []) as NaturalizedVoiLut[];
    const luts = sequence.map((item) => voiLutOf(item, header?.PixelRepresentation === 1)).filter((lut) => lut !== null);
    if (!header || luts.length === 0) {
      return undefined;
    }
    const list = (value: unknown): number[] | undefined => (value === undefined || value === null || value === '' ? undefined : [value].flat().map(Number));
    return {
      windowCenter: list(header.WindowCenter),
      windowWidth: list(header.WindowWidth),
      voiLUTFunction: typeof header.VOILUTFunction === 'string' ? header.VOILUTFunction : undefined,
      voiLUTSequence: luts,
    };
  }, 10_000);
}

interface NaturalizedHeader {
  VOILUTSequence?: unknown;
  PixelRepresentation?: number;
  WindowCenter?: unknown;
  WindowWidth?: unknown;
  VOILUTFunction?: unknown;
}

/** Starts cornerstone once: core, the DICOM image loader (decoding in workers), the tools. */
export function initImaging(): Promise<void> {
  ready ??= (async () => {
    initCore();
    rendererInfo = describeRenderer();
    initDicomLoader({ maxWebWorkers: Math.max(1, Math.min(2, navigator.hardwareConcurrency || 1)) });
    initTools();
    for (const tool of [WindowLevelTool, PanTool, AnchoredZoomTool, LengthTool, AngleTool, EllipticalROITool, RectangleROITool, ProbeTool, MagnifyTool, ReferenceLinesTool]) {
      addTool(tool);
    }
    cache.setMaxCacheSize(IMAGE_CACHE_BYTES);
    registerCalibrationProvider();
    registerVoiLutProvider();
  })();
  return ready;
}
