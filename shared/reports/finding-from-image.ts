import type { DisplayTransform } from '../dicom/orientation.ts';
import { inferChestWallSide, tissueThreshold } from '../hanging/chest-wall.ts';
import { isCranioCaudalFamily } from '../hanging/mammo-identify.ts';
import type { MammoView } from '../hanging/protocol.ts';
import type { ReportFinding } from './report-model.ts';

/**
 * Where a finding the reader clicked on a hung mammogram lies, proposed from geometry alone: the
 * breast outlined in the pixels, its chest wall at the edge the hanging put it (right breast: right
 * edge; left breast: left edge), the nipple as the breast's point farthest from the chest wall, and
 * the click's offset from the nipple. A CC shows medial against lateral (the lateral side hangs at
 * the top), an MLO superior against inferior (the axilla at the top): one view gives one axis of the
 * clock face, so a point off that axis is proposed at 3, 6, 9 or 12 o'clock and the reader refines
 * it on the other view. Nothing is proposed where the breast or its chest wall is not found.
 */

export interface StoredGreyImage {
  rows: number;
  columns: number;
  /** Row-major stored values (any scale). */
  values: ArrayLike<number>;
  /** MONOCHROME1: tissue is darker than air. */
  invert: boolean;
}

export interface FindingFromImageInput {
  image: StoredGreyImage;
  /** How the image hangs: the flips and rotation that bring it to the target orientation. */
  transform: DisplayTransform;
  laterality: 'R' | 'L';
  view: MammoView;
  /** The clicked point in stored image pixels (column, row; pixel centres at +0.5). */
  point: [number, number];
  /** Physical size of a stored pixel (row, column) in mm; null when the image is not calibrated. */
  mmPerPixel: [number, number] | null;
}

export type FindingLocationProposal = Pick<ReportFinding['location'], 'clock' | 'quadrant' | 'depth' | 'distanceFromNippleCm'> & {
  /** Why a value was not proposed, or what the reader should confirm. */
  notes: string[];
};

/** The breast is outlined on a grid no larger than this along its long side: enough for centimetres. */
const GRID_CELLS = 400;
/** Seeds of the breast outline: tissue within this share of the width from the chest-wall edge. */
const SEED_BAND = 0.03;
/** A point closer than this to the nipple is subareolar: no clock face. */
const SUBAREOLAR_MM = 15;
/** Off the nipple line by less than this (or this share of the distance), the view cannot tell the side of the clock. */
const AXIS_TOLERANCE_MM = 5;
const AXIS_TOLERANCE_SHARE = 0.2;

interface Grid {
  width: number;
  height: number;
  values: Float64Array;
}

const quarterTurns = (rotation: number): number => ((Math.round(rotation / 90) % 4) + 4) % 4;

/** A point of a width x height frame after the hanging's flips, then its clockwise quarter turns. */
export function hungPoint([x, y]: [number, number], width: number, height: number, transform: DisplayTransform): [number, number] {
  let px = transform.flipHorizontal ? width - x : x;
  let py = transform.flipVertical ? height - y : y;
  let w = width;
  let h = height;
  for (let turn = 0; turn < quarterTurns(transform.rotation); turn += 1) {
    // Clockwise: the top edge comes to the right.
    [px, py] = [h - py, px];
    [w, h] = [h, w];
  }
  return [px, py];
}

/** The stored image sampled every `stride` pixels, laid out as it hangs. */
function hungGrid(image: StoredGreyImage, stride: number, transform: DisplayTransform): Grid {
  const storedWidth = Math.ceil(image.columns / stride);
  const storedHeight = Math.ceil(image.rows / stride);
  const turned = quarterTurns(transform.rotation) % 2 === 1;
  const width = turned ? storedHeight : storedWidth;
  const height = turned ? storedWidth : storedHeight;
  const values = new Float64Array(width * height);
  for (let gy = 0; gy < storedHeight; gy += 1) {
    for (let gx = 0; gx < storedWidth; gx += 1) {
      // The pixel's centre moves with the frame: its hung cell is where that centre lands.
      const [hx, hy] = hungPoint([gx + 0.5, gy + 0.5], storedWidth, storedHeight, transform);
      const value = Number(image.values[gy * stride * image.columns + gx * stride]);
      values[Math.floor(hy) * width + Math.floor(hx)] = image.invert ? -value : value;
    }
  }
  return { width, height, values };
}

/** The breast: tissue connected to the chest-wall edge (a burned-in marker in the air is left out). */
function breastMask(grid: Grid, chestWall: 'left' | 'right'): Uint8Array | null {
  const threshold = tissueThreshold(grid.values);
  if (threshold === null) {
    return null;
  }
  const { width, height, values } = grid;
  const mask = new Uint8Array(width * height);
  const stack: number[] = [];
  const band = Math.max(1, Math.round(width * SEED_BAND));
  for (let y = Math.floor(height * 0.05); y < Math.ceil(height * 0.95); y += 1) {
    for (let i = 0; i < band; i += 1) {
      const x = chestWall === 'right' ? width - 1 - i : i;
      const index = y * width + x;
      if ((values[index] as number) > threshold && !mask[index]) {
        mask[index] = 1;
        stack.push(index);
      }
    }
  }
  while (stack.length > 0) {
    const index = stack.pop() as number;
    const x = index % width;
    const neighbours = [x > 0 ? index - 1 : -1, x < width - 1 ? index + 1 : -1, index - width, index + width];
    for (const next of neighbours) {
      if (next >= 0 && next < mask.length && !mask[next] && (values[next] as number) > threshold) {
        mask[next] = 1;
        stack.push(next);
      }
    }
  }
  return mask;
}

/** The breast's point farthest from the chest wall (grid units, cell centres): the nipple on a CC or MLO. */
function nippleOf(mask: Uint8Array, width: number, height: number, chestWall: 'left' | 'right'): [number, number] | null {
  const depthOf = (x: number): number => (chestWall === 'right' ? width - 1 - x : x);
  let deepest = -1;
  for (let i = 0; i < mask.length; i += 1) {
    if (mask[i]) {
      deepest = Math.max(deepest, depthOf(i % width));
    }
  }
  if (deepest < 0) {
    return null;
  }
  // The tip's rows, within a cell of the deepest column: their middle is the nipple.
  const rows: number[] = [];
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      if (mask[y * width + x] && depthOf(x) >= deepest - 1) {
        rows.push(y);
      }
    }
  }
  const middle = rows[Math.floor(rows.length / 2)] as number;
  const x = chestWall === 'right' ? width - 1 - deepest : deepest;
  return [x + 0.5, middle + 0.5];
}

/**
 * The clock face from the offsets along the view's one axis (mm; lateral or superior positive), as
 * the observer faces the patient: right breast 9 o'clock lateral, left breast 3 o'clock lateral.
 */
export function clockFromOffset(laterality: 'R' | 'L', axis: 'lateral' | 'superior', offsetMm: number): number {
  if (axis === 'superior') {
    return offsetMm > 0 ? 12 : 6;
  }
  const towardsObserversRight = laterality === 'L' ? offsetMm > 0 : offsetMm < 0;
  return towardsObserversRight ? 3 : 9;
}

function roundedCm(mm: number): number {
  return Math.round(mm / 5) / 2;
}

export function proposeFindingLocation(input: FindingFromImageInput): FindingLocationProposal {
  const none: FindingLocationProposal = { clock: null, quadrant: null, depth: null, distanceFromNippleCm: null, notes: [] };
  const { image, transform, laterality, view } = input;
  if (image.rows < 8 || image.columns < 8 || image.values.length < image.rows * image.columns) {
    return { ...none, notes: ['No pixels to outline the breast: clock face and distance not proposed.'] };
  }
  const stride = Math.max(1, Math.ceil(Math.max(image.rows, image.columns) / GRID_CELLS));
  const grid = hungGrid(image, stride, transform);
  const chestWall = laterality === 'R' ? 'right' : 'left';
  const found = inferChestWallSide({ rows: grid.height, columns: grid.width, values: grid.values, invert: false });
  if (found.chestWallSide !== chestWall) {
    return {
      ...none,
      notes: [found.chestWallSide ? 'The chest wall is not where this breast hangs it: clock face and distance not proposed.' : 'The chest wall was not found in the image: clock face and distance not proposed.'],
    };
  }
  const mask = breastMask(grid, chestWall);
  const nipple = mask ? nippleOf(mask, grid.width, grid.height, chestWall) : null;
  if (!mask || !nipple) {
    return { ...none, notes: ['The breast was not found in the image: clock face and distance not proposed.'] };
  }
  const storedWidth = Math.ceil(image.columns / stride);
  const storedHeight = Math.ceil(image.rows / stride);
  const [px, py] = hungPoint([input.point[0] / stride, input.point[1] / stride], storedWidth, storedHeight, transform);
  const notes: string[] = [];
  const cell = Math.floor(py) * grid.width + Math.floor(px);
  if (!(px >= 0 && px < grid.width && py >= 0 && py < grid.height) || !mask[cell]) {
    notes.push('The point is outside the breast outline: check the location.');
  }
  // Depth: the click's share of the way from the nipple to the chest wall, in thirds.
  const chestWallX = chestWall === 'right' ? grid.width : 0;
  const share = Math.min(1, Math.max(0, (px - nipple[0]) / (chestWallX - nipple[0])));
  const depth = share < 1 / 3 ? 'anterior' : share < 2 / 3 ? 'middle' : 'posterior';
  if (!input.mmPerPixel) {
    return { ...none, depth, notes: [...notes, 'The image is not calibrated: distance and clock face not proposed.'] };
  }
  const turned = quarterTurns(transform.rotation) % 2 === 1;
  const [rowMm, columnMm] = input.mmPerPixel;
  const mmAcross = (turned ? rowMm : columnMm) * stride;
  const mmDown = (turned ? columnMm : rowMm) * stride;
  const across = (px - nipple[0]) * mmAcross;
  const up = (nipple[1] - py) * mmDown;
  const distance = Math.hypot(across, up);
  const distanceFromNippleCm = roundedCm(distance);
  if (distance < SUBAREOLAR_MM) {
    return { clock: null, quadrant: 'subareolar', depth: 'anterior', distanceFromNippleCm, notes };
  }
  const axis = isCranioCaudalFamily(view) ? 'lateral' : 'superior';
  if (Math.abs(up) < Math.max(AXIS_TOLERANCE_MM, AXIS_TOLERANCE_SHARE * distance)) {
    notes.push(`On the nipple line of the ${view}: the clock face needs the other view.`);
    return { clock: null, quadrant: null, depth, distanceFromNippleCm, notes };
  }
  notes.push(`Clock face from the ${view} alone (${axis === 'lateral' ? 'medial or lateral' : 'upper or lower'}): confirm on the other view.`);
  return { clock: clockFromOffset(laterality, axis, up), quadrant: null, depth, distanceFromNippleCm, notes };
}
