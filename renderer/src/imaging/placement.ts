/**
 * Where a hanging protocol puts an image in its viewport: flips and rotation, which cell edges the
 * displayed image is pinned to (chest-wall justification), and how large it is drawn. Pure geometry,
 * in the same terms the viewport's label uses (zoom relative to the image fitted to the viewport;
 * pan = where the image's centre is drawn, from the canvas centre, in CSS pixels, right and down), so
 * the screen oracle checks a placed image exactly as it checks any other.
 */
export interface Placement {
  flipHorizontal: boolean;
  flipVertical: boolean;
  /** Degrees clockwise: 0, 90, 180 or 270. */
  rotation: number;
  horizontal: 'left' | 'right' | 'center';
  vertical: 'top' | 'center' | 'bottom';
  /**
   * How large: `fit` fills the cell; `mm` draws one physical mm as `cssPixelsPerMm` CSS pixels
   * (same-size scaling, `mmPerPixel` being the image's physical pixel size, row then column);
   * `actual-pixels` draws one image pixel per CSS pixel.
   */
  scale:
    | { kind: 'fit' }
    | { kind: 'mm'; cssPixelsPerMm: number; mmPerPixel: [number, number] }
    | { kind: 'actual-pixels' };
}

export interface CellSize {
  width: number;
  height: number;
}

/** An image as the viewport lays it out: pixels, and the spacing (row, column) it uses as world units. */
export interface LaidOutImage {
  rows: number;
  columns: number;
  worldSpacing: [number, number];
}

export interface PlacedView {
  /** Magnification relative to the image fitted to the cell. */
  zoom: number;
  /** The image centre's offset from the cell centre, CSS pixels, right and down. */
  pan: [number, number];
  /** The drawn image's size on screen, CSS pixels. */
  drawnSize: [number, number];
}

const quarterTurned = (rotation: number): boolean => ((Math.round(rotation / 90) % 2) + 2) % 2 === 1;

/** Width and height as displayed (after rotation), in the given per-pixel units (row, column). */
function displayedSize(image: { rows: number; columns: number }, spacing: [number, number], rotation: number): [number, number] {
  const width = image.columns * spacing[1];
  const height = image.rows * spacing[0];
  return quarterTurned(rotation) ? [height, width] : [width, height];
}

/** CSS pixels per unit for a size fitted inside the cell (the largest that shows it whole). */
function fitScale(cell: CellSize, size: [number, number]): number {
  return Math.min(cell.width / size[0], cell.height / size[1]);
}

/** Offset of a drawn extent's centre from the cell's centre for one justification. */
function justify(cellExtent: number, drawnExtent: number, side: 'start' | 'end' | 'center'): number {
  if (side === 'center') {
    return 0;
  }
  const offset = (cellExtent - drawnExtent) / 2;
  return side === 'start' ? -offset : offset;
}

export function placeImage(cell: CellSize, image: LaidOutImage, placement: Placement): PlacedView {
  const world = displayedSize(image, image.worldSpacing, placement.rotation);
  const fit = fitScale(cell, world);
  let cssPerWorld = fit;
  if (placement.scale.kind === 'mm') {
    // The world may be in other units than the physical mm (no spacing in the header: pixels).
    const physicalPerWorld = placement.scale.mmPerPixel[1] / image.worldSpacing[1];
    cssPerWorld = placement.scale.cssPixelsPerMm * physicalPerWorld;
  } else if (placement.scale.kind === 'actual-pixels') {
    cssPerWorld = 1 / image.worldSpacing[1];
  }
  const drawnSize: [number, number] = [world[0] * cssPerWorld, world[1] * cssPerWorld];
  const horizontal = placement.horizontal === 'left' ? 'start' : placement.horizontal === 'right' ? 'end' : 'center';
  const vertical = placement.vertical === 'top' ? 'start' : placement.vertical === 'bottom' ? 'end' : 'center';
  return {
    zoom: cssPerWorld / fit,
    pan: [justify(cell.width, drawnSize[0], horizontal), justify(cell.height, drawnSize[1], vertical)],
    drawnSize,
  };
}

/** One image of a same-size stage: its pixels, physical pixel size (row, column) and rotation. */
export interface PhysicalImage {
  cell: CellSize;
  rows: number;
  columns: number;
  mmPerPixel: [number, number];
  rotation: number;
}

/**
 * The common scale of a same-size stage, CSS pixels per mm: the physically largest image (against
 * its cell) fits exactly, every other is drawn at the same mm-to-pixel ratio and so smaller.
 * Null when no image is calibrated.
 */
export function commonScale(images: PhysicalImage[]): number | null {
  let scale: number | null = null;
  for (const image of images) {
    const size = displayedSize(image, image.mmPerPixel, image.rotation);
    if (!(size[0] > 0 && size[1] > 0) || !(image.cell.width > 0 && image.cell.height > 0)) {
      continue;
    }
    const fit = fitScale(image.cell, size);
    scale = scale === null ? fit : Math.min(scale, fit);
  }
  return scale;
}
