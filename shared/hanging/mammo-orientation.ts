import { edgeMarkers, storedDirections, type DisplayTransform } from '../dicom/orientation.ts';
import { isCranioCaudalFamily } from './mammo-identify.ts';
import type { HangingInstance } from './model.ts';
import type { Laterality, MammoView } from './protocol.ts';

/**
 * How to turn a mammogram so it hangs as radiologists read it (domain reference b.2): the chest wall
 * at the pair's seam (right breast: chest wall at the right edge; left breast: at the left edge), the
 * axilla at the top of oblique and lateral views, the lateral side at the top of cranio-caudal views.
 *
 * The header decides, checked by the pixels: the row direction of Patient Orientation (A or P, in
 * whatever form it is written) gives the horizontal flip, the column direction the vertical one where
 * it is written; the chest-wall side found in the pixels must agree with the row direction. Where it
 * does not, the image hangs as the pixels say (its chest wall at the seam) and the cell says, in red,
 * that header and image disagree, until the reader chooses.
 */

/** Which stored edge (first or last column) is the chest wall. */
export type StoredSide = 'left' | 'right';

/**
 * What the header and the pixels said, and who decided:
 * - `agree`: header and pixels agree (nothing is said on the cell);
 * - `header`: the header decides; the pixels could not tell, or cannot check it (a quarter turn);
 * - `image`: no readable header: the pixels decide ("orientation from the image");
 * - `disagree`: header and pixels disagree: hung as the pixels say, red warning, the reader chooses;
 * - `chosen`: the reader chose the chest-wall side (kept in the library);
 * - `unknown`: neither tells: shown as stored, with a warning, the reader chooses.
 */
export const ORIENTATION_STATUSES = ['agree', 'header', 'image', 'disagree', 'chosen', 'unknown'] as const;
export type OrientationStatus = (typeof ORIENTATION_STATUSES)[number];

export const DISAGREE_WARNING = 'header and image disagree: check the marker';
export const FROM_IMAGE_NOTE = 'orientation from the image';
export const UNKNOWN_WARNING = 'orientation unknown: shown as stored, check the marker';

export interface OrientationCheck {
  status: OrientationStatus;
  /** Patient Orientation as read ("A\\L"); empty when absent. */
  header: string;
  /** The stored edge the header puts the chest wall at; null when its row direction says no A or P. */
  headerChestWall: StoredSide | null;
  /** The stored edge the pixels show the chest wall at; null when they could not tell. */
  imageChestWall: StoredSide | null;
  /** The reader's choice, when there is one. */
  chosenChestWall: StoredSide | null;
  /** The stored edge hung at the seam; null when the image is turned a quarter or shown as stored unknown. */
  shownChestWall: StoredSide | null;
}

export interface MammoOrientation extends DisplayTransform {
  check: OrientationCheck;
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

/** The stored edge the chest wall must be hung at for this side: the seam. */
export function seamSide(laterality: 'R' | 'L'): StoredSide {
  return laterality === 'R' ? 'right' : 'left';
}

export function otherSide(side: StoredSide): StoredSide {
  return side === 'left' ? 'right' : 'left';
}

const LETTERS = /^[LRAPHF]+$/;

/**
 * Patient Orientation as written, leniently: one or two values of direction letters, each full,
 * oblique ("FL") or abbreviated. Null when nothing in it reads as a direction.
 */
export function readPatientOrientation(value: string): { row: string; column: string } | null {
  const parts = value.split('\\').map((part) => part.trim().toUpperCase());
  if (parts.length > 2 || parts.some((part) => part !== '' && !LETTERS.test(part))) {
    return null;
  }
  const [row = '', column = ''] = parts;
  return row === '' && column === '' ? null : { row, column };
}

/** The one letter of a pair (A/P, H/F, L/R) a direction names; null for none or both. */
function letterOf(direction: string, pair: [string, string]): string | null {
  const has = pair.filter((letter) => direction.includes(letter));
  return has.length === 1 ? (has[0] as string) : null;
}

/** Flips before turns: the fewest changes first, so an image already hung right is left alone. */
const TURNS: DisplayTransform[] = [
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

/** Both flips are said as the half turn they are. */
function normalised(flipHorizontal: boolean, flipVertical: boolean): DisplayTransform {
  return flipHorizontal && flipVertical ? { flipHorizontal: false, flipVertical: false, rotation: 180 } : { flipHorizontal, flipVertical, rotation: 0 };
}

/** What the header says, in stored terms: the chest-wall edge, whether the image is upside down, or a quarter turn. */
interface HeaderReading {
  source: string;
  text: string;
  chestWall: StoredSide | null;
  /** True: stored upside down; false: the right way up; null: the header does not say. */
  upsideDown: boolean | null;
  /** The stored rows run head to foot or left to right: a quarter turn, from the whole header. */
  quarter: boolean;
  /** That quarter turn; null when none reaches the target. */
  turn: DisplayTransform | null;
}

function readHeader(instance: HangingInstance, target: [string, string], craniocaudal: boolean): HeaderReading | null {
  const iop = instance.imageOrientationPatient?.length === 6;
  const directions = iop ? storedDirections(instance) : null;
  const read = directions ? { row: directions[0], column: directions[1] } : readPatientOrientation(instance.patientOrientation);
  if (!read) {
    return null;
  }
  const source = iop ? 'Image Orientation (Patient)' : 'Patient Orientation';
  const text = read.column === '' ? read.row : `${read.row}\\${read.column}`;
  const [targetRow, targetColumn] = target;
  const rowAp = letterOf(read.row, ['A', 'P']);
  const columnAp = letterOf(read.column, ['A', 'P']);
  if (rowAp === null && columnAp !== null && read.row !== '') {
    // The chest wall is at the top or bottom of the stored image: a quarter turn, from the whole header.
    for (const transform of TURNS) {
      const markers = edgeMarkers({ patientOrientation: `${read.row}\\${read.column}` }, transform);
      if (markers?.right.startsWith(targetRow) && (targetColumn === '' || markers.bottom.includes(targetColumn))) {
        return { source, text, chestWall: null, upsideDown: null, quarter: true, turn: transform };
      }
    }
    return { source, text, chestWall: null, upsideDown: null, quarter: true, turn: null };
  }
  // The chest wall is posterior: the last column when rows run toward P, the first when toward A.
  const chestWall: StoredSide | null = rowAp === null ? null : rowAp === 'P' ? 'right' : 'left';
  // Cranio-caudal views: lateral at the top, so the column letter L or R says which way up; others: H or F.
  const columnLetter = craniocaudal ? letterOf(read.column, ['L', 'R']) : letterOf(read.column, ['H', 'F']);
  const upsideDown = columnLetter === null || targetColumn === '' ? null : columnLetter !== targetColumn;
  return { source, text, chestWall, upsideDown, quarter: false, turn: null };
}

function quarterTurn(instance: HangingInstance, header: HeaderReading, target: [string, string]): MammoOrientation {
  const transform = header.turn ?? { flipHorizontal: false, flipVertical: false, rotation: 0 };
  const check: OrientationCheck = {
    status: header.turn ? 'header' : 'unknown',
    header: instance.patientOrientation.trim(),
    headerChestWall: null,
    imageChestWall: instance.pixelHint?.chestWallSide ?? null,
    chosenChestWall: null,
    shownChestWall: null,
  };
  if (!header.turn) {
    return { ...transform, check, rules: [`orientation: ${header.source} ${header.text} gives no way to target ${target.join('\\')}: shown as stored`], inferred: [], warnings: [UNKNOWN_WARNING] };
  }
  return {
    ...transform,
    check,
    rules: [`orientation: ${header.source} ${header.text} to target ${target.join('\\')}: ${describe(transform)}`],
    inferred: [],
    // A quarter turn is unusual and the pixels cannot check it: the turned marker is said.
    warnings: [`Rotated ${transform.rotation}° to hang: marker turned`],
  };
}

function pixelRule(instance: HangingInstance): string {
  const hint = instance.pixelHint;
  if (!hint) {
    return 'pixels: not analysed';
  }
  return hint.chestWallSide
    ? `pixels: chest wall at the stored ${hint.chestWallSide} edge (${hint.method}, confidence ${hint.confidence.toFixed(2)})`
    : `pixels: chest wall not found (${hint.method}, confidence ${hint.confidence.toFixed(2)})`;
}

/**
 * The decision for one mammogram: the header's row and column directions, the pixels' chest-wall
 * side, and the reader's choice when one is kept (it wins: she looked at the marker).
 */
export function orientMammo(instance: HangingInstance, laterality: Laterality | null, view: MammoView | null): MammoOrientation {
  const target = targetOrientation(laterality, view);
  if (!target || (laterality !== 'R' && laterality !== 'L')) {
    const check: OrientationCheck = { status: 'unknown', header: instance.patientOrientation.trim(), headerChestWall: null, imageChestWall: null, chosenChestWall: null, shownChestWall: null };
    return { flipHorizontal: false, flipVertical: false, rotation: 0, check, rules: ['orientation: no target for this side: shown as stored'], inferred: [], warnings: [] };
  }
  const header = readHeader(instance, target, isCranioCaudalFamily(view));
  if (header?.quarter) {
    return quarterTurn(instance, header, target);
  }
  const seam = seamSide(laterality);
  const imageChestWall = instance.pixelHint?.chestWallSide ?? null;
  const headerChestWall = header?.chestWall ?? null;
  const chosenChestWall = instance.orientationChoice?.chestWallSide ?? null;
  let status: OrientationStatus;
  let shown: StoredSide | null;
  if (chosenChestWall) {
    status = 'chosen';
    shown = chosenChestWall;
  } else if (headerChestWall && imageChestWall) {
    status = headerChestWall === imageChestWall ? 'agree' : 'disagree';
    // Disagreeing, the pixels hang it: the chest wall they show goes to the seam.
    shown = imageChestWall;
  } else if (headerChestWall) {
    status = 'header';
    shown = headerChestWall;
  } else if (imageChestWall) {
    status = 'image';
    shown = imageChestWall;
  } else {
    status = 'unknown';
    shown = null;
  }
  const flipHorizontal = shown !== null && shown !== seam;
  const flipVertical = header?.upsideDown === true;
  const transform = normalised(flipHorizontal, flipVertical);
  const check: OrientationCheck = { status, header: instance.patientOrientation.trim(), headerChestWall, imageChestWall, chosenChestWall, shownChestWall: shown };
  const headerRule = header
    ? `orientation: ${header.source} ${header.text}: chest wall ${headerChestWall ? `at the stored ${headerChestWall} edge` : 'not said'}, ${header.upsideDown === null ? 'which way up not said' : header.upsideDown ? 'stored upside down' : 'stored the right way up'}`
    : `orientation: ${instance.patientOrientation.trim() === '' ? 'no Patient Orientation' : 'Patient Orientation unreadable'}`;
  const decided: Record<OrientationStatus, string> = {
    agree: 'header and pixels agree',
    header: 'the header decides (the pixels do not tell)',
    image: 'the pixels decide',
    disagree: 'header and pixels DISAGREE: hung as the pixels show, the reader must check the marker',
    chosen: `the reader chose the chest wall at the stored ${chosenChestWall ?? ''} edge`,
    unknown: 'nothing tells the chest-wall side: shown as stored',
  };
  const warnings = status === 'disagree' ? [DISAGREE_WARNING] : status === 'unknown' ? [UNKNOWN_WARNING] : [];
  return {
    ...transform,
    check,
    rules: [`${headerRule}; ${pixelRule(instance)}; ${decided[status]}: to target ${target.join('\\')}: ${describe(transform)}`],
    inferred: status === 'image' ? [FROM_IMAGE_NOTE] : [],
    warnings,
  };
}

/**
 * What the reader's two buttons mean for a cell, as the stored edge that becomes the chest wall:
 * "keep" the edge now at the seam, "flip" the other one. An image shown as stored has its stored
 * seam-side edge at the seam.
 */
export function orientationChoicesFor(check: OrientationCheck, laterality: 'R' | 'L'): { keep: StoredSide; flip: StoredSide } {
  const shown = check.shownChestWall ?? seamSide(laterality);
  return { keep: shown, flip: otherSide(shown) };
}

/** Whether the cell must ask the reader: header and image disagree, or nothing tells. */
export function needsReaderCheck(status: OrientationStatus): boolean {
  return status === 'disagree' || status === 'unknown';
}
