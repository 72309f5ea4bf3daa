import type { PixelHint } from './model.ts';

/**
 * Which edge of a projection mammogram is the chest wall, from the pixels alone: used when Patient
 * Orientation is missing, as it often is on outside CDs. Breast tissue touches the chest-wall edge
 * along much of its height; the opposite edge meets air except near the nipple. A burned-in
 * laterality marker is small beside either band, so it cannot swing the answer on its own.
 */
export interface ChestWallInput {
  rows: number;
  columns: number;
  /** Row-major grey values of the stored image (any scale; may be downsampled). */
  values: ArrayLike<number>;
  /** MONOCHROME1: tissue is darker than air. */
  invert: boolean;
}

export const CHEST_WALL_METHOD = 'edge-bands-v1';

/** The band at each edge that is compared, as a share of the width. */
const BAND = 0.06;
/** Below this difference in tissue share between the bands, the answer is not trusted. */
const MIN_CONFIDENCE = 0.25;

function percentile(sorted: Float64Array, share: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.round(share * (sorted.length - 1))));
  return sorted[index] as number;
}

export function inferChestWallSide(input: ChestWallInput): PixelHint {
  const { rows, columns, values, invert } = input;
  const unknown: PixelHint = { chestWallSide: null, confidence: 0, method: CHEST_WALL_METHOD };
  if (rows < 8 || columns < 8 || values.length < rows * columns) {
    return unknown;
  }
  const sorted = Float64Array.from({ length: rows * columns }, (_, i) => Number(values[i]));
  sorted.sort();
  const low = percentile(sorted, 0.01);
  const high = percentile(sorted, 0.99);
  if (!(high > low)) {
    return unknown;
  }
  // Air sits at one end of the range; tissue is anything clearly away from it.
  const threshold = invert ? high - 0.15 * (high - low) : low + 0.15 * (high - low);
  const isTissue = (value: number): boolean => (invert ? value < threshold : value > threshold);
  const band = Math.max(1, Math.round(columns * BAND));
  // Skip the top and bottom rows, where collimator edges and labels sit.
  const firstRow = Math.floor(rows * 0.05);
  const lastRow = Math.ceil(rows * 0.95);
  let left = 0;
  let right = 0;
  let counted = 0;
  for (let row = firstRow; row < lastRow; row += 1) {
    const offset = row * columns;
    for (let column = 0; column < band; column += 1) {
      left += isTissue(Number(values[offset + column])) ? 1 : 0;
      right += isTissue(Number(values[offset + columns - 1 - column])) ? 1 : 0;
    }
    counted += band;
  }
  const leftShare = left / counted;
  const rightShare = right / counted;
  const larger = Math.max(leftShare, rightShare);
  if (larger === 0) {
    return unknown;
  }
  const confidence = Math.abs(leftShare - rightShare) / larger;
  if (confidence < MIN_CONFIDENCE) {
    return { ...unknown, confidence };
  }
  return { chestWallSide: leftShare > rightShare ? 'left' : 'right', confidence, method: CHEST_WALL_METHOD };
}
