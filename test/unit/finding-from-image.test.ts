import { describe, expect, it } from 'vitest';
import type { DisplayTransform } from '../../shared/dicom/orientation.ts';
import { clockFromOffset, hungPoint, proposeFindingLocation } from '../../shared/reports/finding-from-image.ts';
import type { FindingFromImageInput, StoredGreyImage } from '../../shared/reports/finding-from-image.ts';

const AIR = 80;
const TISSUE = 1800;
const ROWS = 300;
const COLUMNS = 240;
/** 0.5 mm pixels: 150 x 120 mm. */
const MM: [number, number] = [0.5, 0.5];
const AS_HUNG: DisplayTransform = { flipHorizontal: false, flipVertical: false, rotation: 0 };

/**
 * A breast as it hangs: a half-ellipse against the chest-wall edge reaching 70 % of the width, its
 * tip (the nipple) at `nippleRow`, a bright marker block in the air at the top corner away from it.
 */
function hungBreast(chestWall: 'left' | 'right', nippleRow = ROWS / 2): { rows: number; columns: number; values: Float64Array } {
  const values = new Float64Array(ROWS * COLUMNS).fill(AIR);
  const depth = 0.7 * COLUMNS;
  for (let row = 0; row < ROWS; row += 1) {
    for (let column = 0; column < COLUMNS; column += 1) {
      const fromWall = chestWall === 'right' ? COLUMNS - 1 - column : column;
      if ((fromWall / depth) ** 2 + ((row - nippleRow) / (0.45 * ROWS)) ** 2 <= 1) {
        values[row * COLUMNS + column] = TISSUE + 200 * Math.sin(row / 7) * Math.sin(column / 5);
      }
    }
  }
  for (let row = 8; row < 24; row += 1) {
    for (let column = 0; column < 16; column += 1) {
      values[row * COLUMNS + (chestWall === 'right' ? 4 + column : COLUMNS - 20 + column)] = 4000;
    }
  }
  return { rows: ROWS, columns: COLUMNS, values };
}

/** The hung image stored as a unit wrote it: the inverse of `transform` applied to the hung pixels. */
function storedAs(hung: { rows: number; columns: number; values: Float64Array }, transform: DisplayTransform): StoredGreyImage {
  const turned = (((transform.rotation / 90) % 2) + 2) % 2 === 1;
  const rows = turned ? hung.columns : hung.rows;
  const columns = turned ? hung.rows : hung.columns;
  const values = new Float64Array(rows * columns);
  for (let row = 0; row < rows; row += 1) {
    for (let column = 0; column < columns; column += 1) {
      const [x, y] = hungPoint([column + 0.5, row + 0.5], columns, rows, transform);
      values[row * columns + column] = hung.values[Math.floor(y) * hung.columns + Math.floor(x)] as number;
    }
  }
  return { rows, columns, values, invert: false };
}

/** The stored pixel that hangs at the hung point (x, y): found by searching, not by inverting the code's own map. */
function storedPointOf(hungXY: [number, number], image: StoredGreyImage, transform: DisplayTransform): [number, number] {
  for (let row = 0; row < image.rows; row += 1) {
    for (let column = 0; column < image.columns; column += 1) {
      const [x, y] = hungPoint([column + 0.5, row + 0.5], image.columns, image.rows, transform);
      if (Math.floor(x) === Math.floor(hungXY[0]) && Math.floor(y) === Math.floor(hungXY[1])) {
        return [column + 0.5, row + 0.5];
      }
    }
  }
  throw new Error('no stored pixel hangs there');
}

function input(image: StoredGreyImage, point: [number, number], overrides: Partial<FindingFromImageInput> = {}): FindingFromImageInput {
  return { image, transform: AS_HUNG, laterality: 'R', view: 'CC', point, mmPerPixel: MM, ...overrides };
}

/** The nipple of hungBreast('right'): 70 % of the width from the right edge, middle row. */
const RIGHT_NIPPLE: [number, number] = [COLUMNS - 0.7 * COLUMNS, ROWS / 2];

describe('clock face from one view', () => {
  it('is read as the observer faces the patient: lateral is 9 o\'clock on the right, 3 on the left', () => {
    expect(clockFromOffset('R', 'lateral', 20)).toBe(9);
    expect(clockFromOffset('R', 'lateral', -20)).toBe(3);
    expect(clockFromOffset('L', 'lateral', 20)).toBe(3);
    expect(clockFromOffset('L', 'lateral', -20)).toBe(9);
    expect(clockFromOffset('R', 'superior', 20)).toBe(12);
    expect(clockFromOffset('L', 'superior', -20)).toBe(6);
  });
});

describe('hungPoint', () => {
  it('flips before it turns clockwise, as the hanging engine and the screen do', () => {
    expect(hungPoint([0, 0], 10, 20, { flipHorizontal: false, flipVertical: false, rotation: 90 })).toEqual([20, 0]);
    expect(hungPoint([0, 0], 10, 20, { flipHorizontal: true, flipVertical: false, rotation: 90 })).toEqual([20, 10]);
    expect(hungPoint([2, 3], 10, 20, { flipHorizontal: true, flipVertical: true, rotation: 0 })).toEqual([8, 17]);
  });
});

describe('proposeFindingLocation', () => {
  const image = { ...hungBreast('right'), invert: false };

  it('a right CC: a point above the nipple line is lateral (9 o\'clock), below it medial (3 o\'clock), with its distance from the nipple', () => {
    // 60 pixels (30 mm) towards the chest wall and 120 pixels (60 mm) up from the nipple: 67 mm.
    const lateral = proposeFindingLocation(input(image, [RIGHT_NIPPLE[0] + 60, RIGHT_NIPPLE[1] - 120]));
    expect(lateral.clock).toBe(9);
    expect(lateral.distanceFromNippleCm).toBe(6.5);
    expect(lateral.quadrant).toBeNull();
    expect(lateral.notes.join(' ')).toMatch(/confirm on the other view/);
    const medial = proposeFindingLocation(input(image, [RIGHT_NIPPLE[0] + 60, RIGHT_NIPPLE[1] + 120]));
    expect(medial.clock).toBe(3);
  });

  it('depth is the third of the way from the nipple to the chest wall', () => {
    const span = COLUMNS - RIGHT_NIPPLE[0];
    expect(proposeFindingLocation(input(image, [RIGHT_NIPPLE[0] + span * 0.2, 60])).depth).toBe('anterior');
    expect(proposeFindingLocation(input(image, [RIGHT_NIPPLE[0] + span * 0.5, 60])).depth).toBe('middle');
    expect(proposeFindingLocation(input(image, [RIGHT_NIPPLE[0] + span * 0.85, 60])).depth).toBe('posterior');
  });

  it('an MLO gives upper or lower: 12 or 6 o\'clock, the same for either side', () => {
    for (const laterality of ['R', 'L'] as const) {
      const hung = { ...hungBreast(laterality === 'R' ? 'right' : 'left'), invert: false };
      const nippleX = laterality === 'R' ? RIGHT_NIPPLE[0] : 0.7 * COLUMNS;
      const towardsWall = laterality === 'R' ? 50 : -50;
      expect(proposeFindingLocation(input(hung, [nippleX + towardsWall, 40], { laterality, view: 'MLO' })).clock).toBe(12);
      expect(proposeFindingLocation(input(hung, [nippleX + towardsWall, 260], { laterality, view: 'MLO' })).clock).toBe(6);
    }
  });

  it('a left CC: lateral (top) is 3 o\'clock', () => {
    const left = { ...hungBreast('left'), invert: false };
    expect(proposeFindingLocation(input(left, [0.7 * COLUMNS - 60, ROWS / 2 - 120], { laterality: 'L' })).clock).toBe(3);
    expect(proposeFindingLocation(input(left, [0.7 * COLUMNS - 60, ROWS / 2 + 120], { laterality: 'L' })).clock).toBe(9);
  });

  it('an image stored mirrored or turned gives the same answer at the same hung point as one stored as it hangs', () => {
    const hung = hungBreast('right', 110);
    const point: [number, number] = [RIGHT_NIPPLE[0] + 80, 110 - 90];
    const expected = proposeFindingLocation(input({ ...hung, invert: false }, point));
    expect(expected.clock).toBe(9);
    const transforms: DisplayTransform[] = [
      { flipHorizontal: true, flipVertical: false, rotation: 0 },
      { flipHorizontal: false, flipVertical: true, rotation: 0 },
      { flipHorizontal: false, flipVertical: false, rotation: 90 },
      { flipHorizontal: true, flipVertical: false, rotation: 270 },
    ];
    for (const transform of transforms) {
      const stored = storedAs(hung, transform);
      const proposal = proposeFindingLocation(input(stored, storedPointOf(point, stored, transform), { transform }));
      expect({ transform, clock: proposal.clock, distance: proposal.distanceFromNippleCm, depth: proposal.depth }).toEqual({
        transform,
        clock: expected.clock,
        distance: expected.distanceFromNippleCm,
        depth: expected.depth,
      });
    }
  });

  it('the marker burned into the air is not taken for the nipple', () => {
    // The marker sits far from the chest wall, near the top; the nipple is the breast's tip at mid-height.
    const proposal = proposeFindingLocation(input(image, [RIGHT_NIPPLE[0] + 10, RIGHT_NIPPLE[1] + 4]));
    expect(proposal.quadrant).toBe('subareolar');
    expect(proposal.clock).toBeNull();
    expect(proposal.distanceFromNippleCm).toBeLessThan(1.5);
  });

  it('proposes no clock on the nipple line of one view, and nothing where the chest wall is not where the side hangs it', () => {
    const onLine = proposeFindingLocation(input(image, [RIGHT_NIPPLE[0] + 120, RIGHT_NIPPLE[1] + 5]));
    expect(onLine.clock).toBeNull();
    expect(onLine.distanceFromNippleCm).toBe(6);
    expect(onLine.notes.join(' ')).toMatch(/needs the other view/);
    // A right breast hung with its chest wall on the left: the hanging is wrong, so is any clock.
    const wrong = proposeFindingLocation(input({ ...hungBreast('left'), invert: false }, [100, 60]));
    expect(wrong).toMatchObject({ clock: null, depth: null, distanceFromNippleCm: null });
    expect(wrong.notes.join(' ')).toMatch(/chest wall is not where/);
    const flat = proposeFindingLocation(input({ rows: ROWS, columns: COLUMNS, values: new Float64Array(ROWS * COLUMNS).fill(AIR), invert: false }, [100, 60]));
    expect(flat.clock).toBeNull();
    expect(flat.notes.join(' ')).toMatch(/not found/);
  });

  it('without calibration only the depth is proposed; a point in the air is flagged', () => {
    const uncalibrated = proposeFindingLocation(input(image, [RIGHT_NIPPLE[0] + 40, 40], { mmPerPixel: null }));
    expect(uncalibrated).toMatchObject({ clock: null, distanceFromNippleCm: null, depth: 'anterior' });
    const inAir = proposeFindingLocation(input(image, [5, 290]));
    expect(inAir.notes.join(' ')).toMatch(/outside the breast/);
  });

  it('MONOCHROME1 images (tissue darker) are outlined the same way', () => {
    const inverted = { ...image, values: image.values.map((value) => 4095 - value), invert: true };
    expect(proposeFindingLocation(input(inverted, [RIGHT_NIPPLE[0] + 60, RIGHT_NIPPLE[1] - 120])).clock).toBe(9);
  });
});
