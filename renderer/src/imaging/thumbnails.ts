import { imageLoader } from '@cornerstonejs/core';
import { initImaging } from './init.ts';

function first(value: unknown): number {
  return Number(Array.isArray(value) ? value[0] : value);
}

/**
 * Draws one image, scaled to fit and windowed by its header (or its range), into a small canvas.
 * Sampled straight from the decoded pixels: cheap, and no rendering engine for a picture this size.
 */
export async function renderThumbnail(canvas: HTMLCanvasElement, imageId: string): Promise<void> {
  await initImaging();
  const image = await imageLoader.loadAndCacheImage(imageId);
  const pixels = image.getPixelData() as ArrayLike<number>;
  const components = image.color ? Math.round(pixels.length / (image.rows * image.columns)) : 1;
  const context = canvas.getContext('2d');
  if (!context) {
    throw new Error('no 2D context');
  }
  const scale = Math.min(canvas.width / image.columns, canvas.height / image.rows);
  const width = Math.max(1, Math.floor(image.columns * scale));
  const height = Math.max(1, Math.floor(image.rows * scale));
  let center = first(image.windowCenter);
  let span = first(image.windowWidth);
  if (!Number.isFinite(center) || !Number.isFinite(span) || span <= 0) {
    center = (image.minPixelValue + image.maxPixelValue) / 2;
    span = Math.max(1, image.maxPixelValue - image.minPixelValue);
  }
  // The loader may have applied the modality LUT already (pre-scaled pixels).
  const scaled = Boolean((image as { preScale?: { scaled?: boolean } }).preScale?.scaled);
  const slope = scaled ? 1 : (image.slope ?? 1);
  const intercept = scaled ? 0 : (image.intercept ?? 0);
  const invert = image.photometricInterpretation === 'MONOCHROME1';
  const out = context.createImageData(width, height);
  for (let y = 0; y < height; y += 1) {
    const row = Math.min(image.rows - 1, Math.floor(y / scale));
    for (let x = 0; x < width; x += 1) {
      const column = Math.min(image.columns - 1, Math.floor(x / scale));
      const source = (row * image.columns + column) * components;
      const target = (y * width + x) * 4;
      if (components >= 3) {
        out.data[target] = pixels[source] as number;
        out.data[target + 1] = pixels[source + 1] as number;
        out.data[target + 2] = pixels[source + 2] as number;
      } else {
        const value = (pixels[source] as number) * slope + intercept;
        let grey = Math.round(((value - (center - 0.5)) / (span - 1) + 0.5) * 255);
        grey = Math.max(0, Math.min(255, grey));
        const shown = invert ? 255 - grey : grey;
        out.data[target] = shown;
        out.data[target + 1] = shown;
        out.data[target + 2] = shown;
      }
      out.data[target + 3] = 255;
    }
  }
  context.clearRect(0, 0, canvas.width, canvas.height);
  context.putImageData(out, Math.floor((canvas.width - width) / 2), Math.floor((canvas.height - height) / 2));
}
