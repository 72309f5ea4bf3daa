import { edgeMarkers, storedDirections, type DisplayTransform } from '../dicom/orientation.ts';
import { isCranioCaudalFamily } from './mammo-identify.ts';
import type { HangingInstance } from './model.ts';
import type { Laterality, MammoView } from './protocol.ts';

/**
 * How to turn a mammogram so it hangs as radiologists read it (domain reference b.2): the chest wall
 * at the pair's seam (right breast: chest wall at the right edge; left breast: at the left edge), the
 * axilla at the top of oblique and lateral views, the lateral side at the top of cranio-caudal views.
 */
export interface MammoOrientation extends DisplayTransform {
  rules: string[];
  inferred: string[];
  warnings: string[];
}

/**
 * The displayed Patient Orientation the table asks for, "row\column": RCC P\L, LCC A\R, RMLO P\F,
 * LMLO A\F; other views by analogy. Null for a bilateral or unknown side.
 */
export function targetOrientation(laterality: Laterality | null, view: MammoView | null): [string, string] | null {
  if (laterality !== 'R' && laterality !== 'L') {
    return null;
  }
  const row = laterality === 'R' ? 'P' : 'A';
  if (view === null || view === 'OTHER') {
    return [row, ''];
  }
  if (isCranioCaudalFamily(view)) {
    return [row, laterality === 'R' ? 'L' : 'R'];
  }
  return [row, 'F'];
}

/** Flips before turns: the fewest changes first, so an image already hung right is left alone. */
const CANDIDATES: DisplayTransform[] = [
  { flipHorizontal: false, flipVertical: false, rotation: 0 },
  { flipHorizontal: true, flipVertical: false, rotation: 0 },
  { flipHorizontal: false, flipVertical: true, rotation: 0 },
  { flipHorizontal: false, flipVertical: false, rotation: 180 },
  { flipHorizontal: false, flipVertical: false, rotation: 90 },
  { flipHorizontal: false, flipVertical: false, rotation: 270 },
  { flipHorizontal: true, flipVertical: false, rotation: 90 },
  { flipHorizontal: true, flipVertical: false, rotation: 270 },
];

function describe(transform: DisplayTransform): string {
  const parts = [
    transform.flipHorizontal ? 'horizontal flip' : '',
    transform.flipVertical ? 'vertical flip' : '',
    transform.rotation ? `rotation ${transform.rotation}°` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' + ') : 'no change';
}

/**
 * Hanging an image flipped or turned is never silent: a laterality marker burned into the pixels then
 * reads mirrored or turned, and the reader must know the screen is not the image as stored.
 */
function transformWarnings(transform: DisplayTransform): string[] {
  const { flipHorizontal, flipVertical, rotation } = transform;
  if (!flipHorizontal && !flipVertical && rotation === 0) {
    return [];
  }
  const turned = rotation ? `Rotated ${rotation}°` : '';
  const flipped = flipHorizontal && flipVertical ? 'flipped both ways' : flipHorizontal ? 'flipped horizontally' : flipVertical ? 'flipped vertically' : '';
  const what = [turned, flipped].filter(Boolean).join(' and ');
  const mirrored = flipHorizontal !== flipVertical;
  // Short: it is drawn on the cell, whose width is a quarter of the screen.
  return [`${what.charAt(0).toUpperCase()}${what.slice(1)} to hang: marker ${mirrored ? 'mirrored' : 'turned'}`];
}

function fromHeader(instance: HangingInstance, target: [string, string]): MammoOrientation | null {
  const source = instance.imageOrientationPatient?.length === 6 ? 'Image Orientation (Patient)' : 'Patient Orientation';
  const stored = storedDirections(instance);
  if (!stored) {
    return null;
  }
  const [targetRow, targetColumn] = target;
  for (const transform of CANDIDATES) {
    const markers = edgeMarkers(instance, transform);
    if (!markers || !markers.right.startsWith(targetRow)) {
      continue;
    }
    // An oblique column ("FR") still counts as foot; an unknown target column only fixes the chest wall.
    if (targetColumn !== '' && !markers.bottom.includes(targetColumn)) {
      continue;
    }
    if (targetColumn === '' && transform.rotation !== 0) {
      continue;
    }
    return {
      ...transform,
      rules: [`orientation: ${source} ${stored.join('\\')} to target ${target.join('\\')}: ${describe(transform)}`],
      inferred: [],
      warnings: transformWarnings(transform),
    };
  }
  return null;
}

export function orientMammo(instance: HangingInstance, laterality: Laterality | null, view: MammoView | null): MammoOrientation {
  const asStored: DisplayTransform = { flipHorizontal: false, flipVertical: false, rotation: 0 };
  const target = targetOrientation(laterality, view);
  if (!target) {
    return { ...asStored, rules: ['orientation: no target for this side: shown as stored'], inferred: [], warnings: [] };
  }
  const header = fromHeader(instance, target);
  if (header) {
    return header;
  }
  const hint = instance.pixelHint;
  if (hint?.chestWallSide) {
    // Right breast: chest wall wanted at the right edge. The vertical direction cannot be read from
    // pixels, so it stays as stored.
    const wanted = laterality === 'R' ? 'right' : 'left';
    const flipHorizontal = hint.chestWallSide !== wanted;
    return {
      flipHorizontal,
      flipVertical: false,
      rotation: 0,
      rules: [`orientation: chest wall found at the stored ${hint.chestWallSide} edge (${hint.method}, confidence ${hint.confidence.toFixed(2)}): ${flipHorizontal ? 'horizontal flip' : 'no change'}`],
      inferred: ['orientation inferred from pixels'],
      warnings: transformWarnings({ flipHorizontal, flipVertical: false, rotation: 0 }),
    };
  }
  return { ...asStored, rules: ['orientation: unknown'], inferred: [], warnings: ['orientation unknown: shown as stored'] };
}
