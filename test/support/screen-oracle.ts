/// <reference lib="dom" />
import type { Locator, Page } from '@playwright/test';
import type { ReferencePixels } from './reference-pixels.ts';

/**
 * The screen oracle: what a viewport's canvas must show, computed from nothing but the label (the
 * image's SOP Instance UID, window, zoom, flips, rotation and invert the viewport says it shows), the
 * image's pixels as Debian's reference decoders decode them, and the canvas size. It knows nothing of
 * how the viewer reached that state, nor of cornerstone's transforms: geometry is DICOM's (the image
 * fitted to the viewport, centred, then zoomed; flips, then rotation clockwise) and the window is
 * DICOM's linear VOI.
 */
export interface ViewportLabel {
  sopInstanceUid: string;
  windowCenter: number;
  windowWidth: number;
  /** Magnification relative to the image fitted to the viewport. */
  zoom: number;
  /** Where the image's centre is drawn, from the canvas centre, in CSS pixels. */
  panX: number;
  panY: number;
  flipHorizontal: boolean;
  flipVertical: boolean;
  /** Degrees clockwise. */
  rotation: number;
  invert: boolean;
  /** The VOI LUT function the window is applied with: LINEAR, or SIGMOID where the header asks for it. */
  voiFunction?: string;
}

export interface CanvasSample {
  width: number;
  height: number;
  /** Canvas pixel coordinates asked for, and the red channel found at each (greyscale images). */
  points: [number, number][];
  values: number[];
}

export interface Comparison {
  compared: number;
  meanAbs: number;
  p95: number;
}

/** The label a viewport element carries; every field must be present, or the viewport says nothing. */
export async function readLabel(viewport: Locator): Promise<ViewportLabel> {
  const data = await viewport.evaluate((element) => ({ ...(element as HTMLElement).dataset }));
  const number = (name: string): number => {
    const value = Number(data[name]);
    if (data[name] === undefined || data[name] === '' || !Number.isFinite(value)) {
      throw new Error(`viewport has no ${name}: ${JSON.stringify(data)}`);
    }
    return value;
  };
  return {
    sopInstanceUid: data.sopInstanceUid ?? '',
    windowCenter: number('windowCenter'),
    windowWidth: number('windowWidth'),
    zoom: number('zoom'),
    panX: number('panX'),
    panY: number('panY'),
    flipHorizontal: data.flipH === 'true',
    flipVertical: data.flipV === 'true',
    rotation: number('rotation'),
    invert: data.invert === 'true',
    ...(data.voiFunction ? { voiFunction: data.voiFunction } : {}),
  };
}

/** Image pixel centres on a grid, every `stride` pixels, inside a margin (edges interpolate with black). */
function imageGrid(reference: ReferencePixels, stride: number): [number, number][] {
  const points: [number, number][] = [];
  for (let row = 2; row < reference.rows - 2; row += stride) {
    for (let column = 2; column < reference.columns - 2; column += stride) {
      points.push([column, row]);
    }
  }
  return points;
}

/** Where an image pixel's centre lands on a canvas of the given size, for the labelled geometry. */
export function canvasPoint(
  reference: ReferencePixels,
  spacing: [number, number],
  label: ViewportLabel,
  canvas: { width: number; height: number; pixelRatio: number },
  [column, row]: [number, number],
): [number, number] {
  const [rowSpacing, columnSpacing] = spacing;
  const widthMm = reference.columns * columnSpacing;
  const heightMm = reference.rows * rowSpacing;
  const rotated = label.rotation % 180 !== 0;
  const fit = rotated
    ? Math.min(canvas.width / heightMm, canvas.height / widthMm)
    : Math.min(canvas.width / widthMm, canvas.height / heightMm);
  const scale = fit * label.zoom;
  let x = (column + 0.5 - reference.columns / 2) * columnSpacing;
  let y = (row + 0.5 - reference.rows / 2) * rowSpacing;
  if (label.flipHorizontal) {
    x = -x;
  }
  if (label.flipVertical) {
    y = -y;
  }
  const radians = (label.rotation * Math.PI) / 180;
  const cos = Math.round(Math.cos(radians) * 1e9) / 1e9;
  const sin = Math.round(Math.sin(radians) * 1e9) / 1e9;
  const rx = x * cos - y * sin;
  const ry = x * sin + y * cos;
  return [canvas.width / 2 + label.panX * canvas.pixelRatio + rx * scale, canvas.height / 2 + label.panY * canvas.pixelRatio + ry * scale];
}

/** DICOM's VOI (PS3.3 C.11.2.1.2.1 linear, C.11.2.1.3.1 SIGMOID) to 8 bits, then invert. */
export function windowed(stored: number, reference: ReferencePixels, label: ViewportLabel, monochrome1 = false): number {
  const value = stored * reference.rescaleSlope + reference.rescaleIntercept;
  const { windowCenter: c, windowWidth: w } = label;
  let out: number;
  if (label.voiFunction === 'SIGMOID') {
    out = 255 / (1 + Math.exp((-4 * (value - c)) / w));
  } else if (value <= c - 0.5 - (w - 1) / 2) {
    out = 0;
  } else if (value > c - 0.5 + (w - 1) / 2) {
    out = 255;
  } else {
    out = ((value - (c - 0.5)) / (w - 1) + 0.5) * 255;
  }
  return label.invert !== monochrome1 ? 255 - out : out;
}

/** Reads the red channel of the viewport's canvas at canvas pixel coordinates: what the page composites. */
export async function readCanvas(viewport: Locator, points: [number, number][]): Promise<CanvasSample> {
  return viewport.evaluate((element, points) => {
    const canvas = element.querySelector('canvas');
    const context = canvas?.getContext('2d');
    if (!canvas || !context) {
      throw new Error('the viewport has no 2D canvas');
    }
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    const values = points.map(([x, y]) => {
      const px = Math.floor(x);
      const py = Math.floor(y);
      return px < 0 || py < 0 || px >= canvas.width || py >= canvas.height ? -1 : (data[(py * canvas.width + px) * 4] as number);
    });
    return { width: canvas.width, height: canvas.height, points, values };
  }, points);
}

export async function canvasSize(viewport: Locator): Promise<{ width: number; height: number; pixelRatio: number }> {
  return viewport.evaluate((element) => {
    const canvas = element.querySelector('canvas');
    return { width: canvas?.width ?? 0, height: canvas?.height ?? 0, pixelRatio: canvas && canvas.clientWidth > 0 ? canvas.width / canvas.clientWidth : 1 };
  });
}

/** Compares the canvas with the oracle's rendering of one image for a label, at grid points. */
export function compare(
  reference: ReferencePixels,
  label: ViewportLabel,
  sample: CanvasSample,
  imagePoints: [number, number][],
  monochrome1 = false,
): Comparison {
  const diffs: number[] = [];
  imagePoints.forEach(([column, row], index) => {
    const shown = sample.values[index] as number;
    if (shown < 0) {
      return;
    }
    const expected = windowed(reference.values[row * reference.columns + column] as number, reference, label, monochrome1);
    diffs.push(Math.abs(shown - expected));
  });
  diffs.sort((a, b) => a - b);
  const meanAbs = diffs.reduce((a, b) => a + b, 0) / Math.max(1, diffs.length);
  return { compared: diffs.length, meanAbs, p95: diffs[Math.floor(diffs.length * 0.95)] ?? Number.POSITIVE_INFINITY };
}

export interface ScreenCheck {
  label: ViewportLabel;
  /** The labelled image against the canvas. */
  labelled: Comparison;
  /** Every image of the series, by SOP Instance UID, against the same canvas: which one is on screen. */
  ranked: { sopInstanceUid: string; meanAbs: number }[];
  /** Labels that differ from the true one (negative controls), each against the same screen. */
  controls: { change: Partial<ViewportLabel>; comparison: Comparison }[];
}

export type KnownImages = Map<string, { reference: ReferencePixels; spacing: [number, number]; monochrome1?: boolean }>;

/** Image pixel centres on a grid and where a label says each lands on this canvas. */
export function samplePoints(
  image: { reference: ReferencePixels; spacing: [number, number] },
  label: ViewportLabel,
  size: { width: number; height: number; pixelRatio: number },
  stride: number,
): { imagePoints: [number, number][]; canvasPoints: [number, number][] } {
  const imagePoints = imageGrid(image.reference, stride);
  return { imagePoints, canvasPoints: imagePoints.map((p) => canvasPoint(image.reference, image.spacing, label, size, p)) };
}

/**
 * Reads the label, then the canvas at the points where the labelled image's pixels must land, and
 * compares. It also compares every other image of the series with the same canvas points, so a test
 * can say which image is really on screen, and any `controls` (altered labels) with the same screen,
 * so a test can show the tolerance tells a wrong label from the right one.
 */
export async function checkScreen(
  page: Page,
  viewport: Locator,
  images: KnownImages,
  stride = 4,
  controls: Partial<ViewportLabel>[] = [],
): Promise<ScreenCheck> {
  // Let any pending frame land: the label must hold for what is on screen after it.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const label = await readLabel(viewport);
  const image = images.get(label.sopInstanceUid);
  if (!image) {
    throw new Error(`the label names an image the test does not know: ${label.sopInstanceUid}`);
  }
  const size = await canvasSize(viewport);
  const { imagePoints, canvasPoints } = samplePoints(image, label, size, stride);
  const sample = await readCanvas(viewport, canvasPoints);
  const controlSamples = [];
  for (const change of controls) {
    const altered = { ...label, ...change };
    const points = samplePoints(image, altered, size, stride);
    controlSamples.push({ change, altered, sample: await readCanvas(viewport, points.canvasPoints) });
  }
  const labelAfter = await readLabel(viewport);
  if (JSON.stringify(labelAfter) !== JSON.stringify(label)) {
    throw new Error(`the label changed while the canvas was read: ${JSON.stringify(label)} -> ${JSON.stringify(labelAfter)}`);
  }
  const labelled = compare(image.reference, label, sample, imagePoints, image.monochrome1);
  const ranked = [...images.entries()]
    .filter(([, other]) => other.reference.rows === image.reference.rows && other.reference.columns === image.reference.columns)
    .map(([sopInstanceUid, other]) => ({
      sopInstanceUid,
      meanAbs: compare(other.reference, label, sample, imagePoints, other.monochrome1).meanAbs,
    }))
    .sort((a, b) => a.meanAbs - b.meanAbs);
  return {
    label,
    labelled,
    ranked,
    controls: controlSamples.map(({ change, altered, sample: controlSample }) => ({
      change,
      comparison: compare(image.reference, altered, controlSample, imagePoints, image.monochrome1),
    })),
  };
}
