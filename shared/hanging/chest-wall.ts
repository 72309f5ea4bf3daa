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

export const CHEST_WALL_METHOD = 'edge-bands-v2';

/** The band at each edge that is compared, as a share of the width. */
const BAND = 0.06;
/** Below this difference in tissue share between the bands, the answer is not trusted. */
const MIN_CONFIDENCE = 0.25;

function percentile(sorted: Float64Array, share: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.round(share * (sorted.length - 1))));
  return sorted[index] as number;
}

/** The grey value that best separates the sorted values into two classes (Otsu's method, 256 bins over low..high). */
function otsuThreshold(sorted: Float64Array, low: number, high: number): number {
  const bins = 256;
  const histogram = new Float64Array(bins);
  const scale = bins / (high - low);
  for (const value of sorted) {
    const bin = Math.min(bins - 1, Math.max(0, Math.floor((value - low) * scale)));
    histogram[bin] = (histogram[bin] ?? 0) + 1;
  }
  let weightedTotal = 0;
  for (let bin = 0; bin < bins; bin += 1) {
    weightedTotal += bin * (histogram[bin] ?? 0);
  }
  let below = 0;
  let weightedBelow = 0;
  let best = -1;
  let bestBin = bins >> 1;
  for (let bin = 0; bin < bins - 1; bin += 1) {
    const count = histogram[bin] ?? 0;
    below += count;
    weightedBelow += bin * count;
    const above = sorted.length - below;
    if (below === 0 || above === 0) {
      continue;
    }
    const meanBelow = weightedBelow / below;
    const meanAbove = (weightedTotal - weightedBelow) / above;
    const between = below * above * (meanBelow - meanAbove) ** 2;
    if (between > best) {
      best = between;
      bestBin = bin;
    }
  }
  return low + (bestBin + 1) / scale;
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
  // Air and tissue are the two big populations of grey values: split them where they separate best
  // (Otsu). A fixed share of the range above the darkest pixels fails on films whose labels were
  // blanked to black: air then sits near the threshold and counts as tissue on both edges.
  const threshold = otsuThreshold(sorted, low, high);
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
