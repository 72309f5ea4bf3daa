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
/** The chest-wall band holds tissue along much of its height; a marker or a label alone does not. */
const MIN_EDGE_SHARE = 0.3;
const BINS = 256;

function percentile(sorted: Float64Array, share: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.round(share * (sorted.length - 1))));
  return sorted[index] as number;
}

/**
 * Otsu's threshold between background and breast: the grey level that best splits the histogram in
 * two. A fixed share of the range fails on digitised film, whose unexposed base is grey, not black,
 * and whose blacked-out labels drag the low end of the range down.
 */
function otsuThreshold(sorted: Float64Array, low: number, high: number): number {
  const histogram = new Float64Array(BINS);
  const scale = (BINS - 1) / (high - low);
  for (const value of sorted) {
    const bin = Math.round((Math.min(high, Math.max(low, value)) - low) * scale);
    histogram[bin] = (histogram[bin] as number) + 1;
  }
  const total = sorted.length;
  let weightedSum = 0;
  for (let bin = 0; bin < BINS; bin += 1) {
    weightedSum += bin * (histogram[bin] as number);
  }
  let below = 0;
  let belowSum = 0;
  let best = 0;
  let bestBin = BINS / 2;
  for (let bin = 0; bin < BINS - 1; bin += 1) {
    below += histogram[bin] as number;
    belowSum += bin * (histogram[bin] as number);
    const above = total - below;
    if (below === 0 || above === 0) {
      continue;
    }
    const meanBelow = belowSum / below;
    const meanAbove = (weightedSum - belowSum) / above;
    const between = below * above * (meanBelow - meanAbove) ** 2;
    if (between > best) {
      best = between;
      bestBin = bin;
    }
  }
  return low + (bestBin + 0.5) / scale;
}

export function inferChestWallSide(input: ChestWallInput): PixelHint {
  const { rows, columns, values, invert } = input;
  const unknown: PixelHint = { chestWallSide: null, confidence: 0, method: CHEST_WALL_METHOD };
  if (rows < 8 || columns < 8 || values.length < rows * columns) {
    return unknown;
  }
  const sorted = Float64Array.from({ length: rows * columns }, (_, i) => Number(values[i]));
  sorted.sort();
  // Clip the extremes (burned-in markers, blacked-out labels) before splitting background from tissue.
  const low = percentile(sorted, 0.005);
  const high = percentile(sorted, 0.995);
  if (!(high > low)) {
    return unknown;
  }
  // Air sits at one end of the range (the dark end unless MONOCHROME1); tissue is on the other side.
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
  if (larger < MIN_EDGE_SHARE) {
    return { ...unknown, confidence: 0 };
  }
  const confidence = Math.abs(leftShare - rightShare) / larger;
  if (confidence < MIN_CONFIDENCE) {
    return { ...unknown, confidence };
  }
  return { chestWallSide: leftShare > rightShare ? 'left' : 'right', confidence, method: CHEST_WALL_METHOD };
}

/**
 * The grey level between air and breast tissue of a whole image (Otsu's split of its clipped range,
 * as the chest-wall rule uses); null for a flat image. Used to outline the breast (finding locations).
 */
export function tissueThreshold(values: ArrayLike<number>): number | null {
  const sorted = Float64Array.from(values, Number);
  sorted.sort();
  const low = percentile(sorted, 0.005);
  const high = percentile(sorted, 0.995);
  return sorted.length > 0 && high > low ? otsuThreshold(sorted, low, high) : null;
}
