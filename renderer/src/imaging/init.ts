import { cache, init as initCore, metaData } from '@cornerstonejs/core';
import { init as initDicomLoader, wadouri } from '@cornerstonejs/dicom-image-loader';
import {
  AngleTool, EllipticalROITool, LengthTool, MagnifyTool, PanTool, ProbeTool, RectangleROITool, StackScrollTool,
  WindowLevelTool, ZoomTool, addTool, init as initTools,
} from '@cornerstonejs/tools';
import { resolveCalibration } from '../../../shared/dicom/calibration.ts';
import type { Calibration } from '../../../shared/dicom/calibration.ts';

/** The image cache's cap: scrolling a long series never grows the renderer past it. */
export const IMAGE_CACHE_BYTES = 512 * 1024 * 1024;

let ready: Promise<void> | null = null;

function numbers(dataSet: { string(tag: string): string | undefined }, tag: string): number[] | null {
  const text = dataSet.string(tag);
  if (!text) {
    return null;
  }
  const values = text.split('\\').map(Number);
  return values.every(Number.isFinite) ? values : null;
}

const calibrations = new Map<string, Calibration>();

/** Concord's calibration of an image (see shared/dicom/calibration.ts), once its header is loaded. */
export function calibrationOf(imageId: string): Calibration | null {
  const known = calibrations.get(imageId);
  if (known) {
    return known;
  }
  const dataSet = wadouri.dataSetCacheManager.get(wadouri.parseImageId(imageId).url) as
    | { string(tag: string): string | undefined; floatString(tag: string): number | undefined }
    | undefined;
  if (!dataSet) {
    return null;
  }
  const calibration = resolveCalibration({
      modality: dataSet.string('x00080060') ?? '',
      pixelSpacing: numbers(dataSet, 'x00280030'),
      imagerPixelSpacing: numbers(dataSet, 'x00181164'),
      estimatedRadiographicMagnificationFactor: dataSet.floatString('x00181114') ?? null,
      pixelSpacingCalibrationType: dataSet.string('x00280a02') ?? null,
      nominalScannedPixelSpacing: numbers(dataSet, 'x00182010'),
  });
  calibrations.set(imageId, calibration);
  return calibration;
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
    const base = wadouri.metaData.metaDataProvider(type, imageId) as Record<string, unknown> | undefined;
    const calibration = calibrationOf(imageId);
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

/** Starts cornerstone once: core, the DICOM image loader (decoding in workers), the tools. */
export function initImaging(): Promise<void> {
  ready ??= (async () => {
    initCore();
    initDicomLoader({ maxWebWorkers: Math.max(1, Math.min(2, navigator.hardwareConcurrency || 1)) });
    initTools();
    for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool, LengthTool, AngleTool, EllipticalROITool, RectangleROITool, ProbeTool, MagnifyTool]) {
      addTool(tool);
    }
    cache.setMaxCacheSize(IMAGE_CACHE_BYTES);
    registerCalibrationProvider();
  })();
  return ready;
}
