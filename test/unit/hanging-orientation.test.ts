import { describe, expect, it } from 'vitest';
import { inferChestWallSide } from '../../shared/hanging/chest-wall.ts';
import { orientMammo, orientationChoicesFor, targetOrientation } from '../../shared/hanging/mammo-orientation.ts';
import { needsPixelHint } from '../../electron/services/hanging/pixel-hints.ts';
import { makeInstance, mammogram } from '../support/hanging-input.ts';

function transform(patientOrientation: string, laterality: 'R' | 'L', view: 'CC' | 'MLO' | 'ML' | 'XCCL'): [boolean, boolean, number] {
  const result = orientMammo(makeInstance({ patientOrientation }), laterality, view);
  return [result.flipHorizontal, result.flipVertical, result.rotation];
}

describe('mammography target orientation (b.2)', () => {
  it('has the table of the domain reference and extends it by analogy', () => {
    expect(targetOrientation('R', 'CC')).toEqual(['P', 'L']);
    expect(targetOrientation('L', 'CC')).toEqual(['A', 'R']);
    expect(targetOrientation('R', 'MLO')).toEqual(['P', 'F']);
    expect(targetOrientation('L', 'MLO')).toEqual(['A', 'F']);
    expect(targetOrientation('L', 'XCCL')).toEqual(['A', 'R']);
    expect(targetOrientation('R', 'ML')).toEqual(['P', 'F']);
    expect(targetOrientation(null, 'CC')).toBeNull();
  });

  it('leaves an image stored in the target orientation alone', () => {
    expect(transform('P\\L', 'R', 'CC')).toEqual([false, false, 0]);
    expect(transform('A\\R', 'L', 'CC')).toEqual([false, false, 0]);
    expect(transform('P\\FL', 'R', 'MLO')).toEqual([false, false, 0]);
    expect(transform('A\\FR', 'L', 'MLO')).toEqual([false, false, 0]);
  });

  it('flips horizontally when the row letter is opposite, vertically when the column letter is, and turns 180° for both', () => {
    expect(transform('A\\L', 'R', 'CC')).toEqual([true, false, 0]);
    expect(transform('P\\R', 'R', 'CC')).toEqual([false, true, 0]);
    expect(transform('A\\R', 'R', 'CC')).toEqual([false, false, 180]);
    expect(transform('P\\F', 'L', 'MLO')).toEqual([true, false, 0]);
    expect(transform('A\\H', 'L', 'MLO')).toEqual([false, true, 0]);
    expect(transform('P\\H', 'L', 'MLO')).toEqual([false, false, 180]);
    expect(transform('P\\L', 'L', 'XCCL')).toEqual([false, false, 180]);
  });

  it('says nothing on the cell when header and pixels agree, even when the image is flipped or turned to hang', () => {
    const agreeing = (patientOrientation: string, chestWallSide: 'left' | 'right') =>
      orientMammo(makeInstance({ patientOrientation, pixelHint: { chestWallSide, confidence: 0.9, method: 'edge-bands-v2' } }), 'R', 'CC');
    for (const [orientation, side] of [['P\\L', 'right'], ['A\\L', 'left'], ['A\\R', 'left']] as const) {
      const result = agreeing(orientation, side);
      expect(result.check.status, orientation).toBe('agree');
      expect(result.warnings, orientation).toEqual([]);
      expect(result.inferred, orientation).toEqual([]);
    }
    expect(agreeing('A\\L', 'left').rules[0]).toMatch(/header and pixels agree: to target P\\L: horizontal flip$/);
  });

  it('turns a quarter when the stored row axis runs head to foot', () => {
    // Stored rows run toward the head: a quarter turn brings posterior to the right and foot down.
    expect(transform('H\\P', 'R', 'MLO')).toEqual([false, false, 270]);
    expect(transform('F\\A', 'R', 'MLO')).toEqual([false, false, 90]);
    // Rows toward the foot with posterior down: the mirror image of the case above needs a flip as well.
    expect(transform('F\\P', 'R', 'MLO')).toEqual([true, false, 270]);
    expect(orientMammo(makeInstance({ patientOrientation: 'H\\P' }), 'R', 'MLO').rules[0]).toBe('orientation: Patient Orientation H\\P to target P\\F: rotation 270°');
  });

  it('uses Image Orientation (Patient) for enhanced and tomosynthesis objects', () => {
    // Rows toward anterior (-y), columns toward foot (-z): an LMLO-like stack stored as wanted.
    const stored = orientMammo(makeInstance({ imageOrientationPatient: [0, -1, 0, 0, 0, -1] }), 'L', 'MLO');
    expect([stored.flipHorizontal, stored.flipVertical, stored.rotation]).toEqual([false, false, 0]);
    expect(stored.rules[0]).toContain('Image Orientation (Patient)');
    const mirrored = orientMammo(makeInstance({ imageOrientationPatient: [0, 1, 0, 0, 0, -1] }), 'L', 'MLO');
    expect(mirrored.flipHorizontal).toBe(true);
  });

  it('lets the pixels decide when Patient Orientation is missing or unreadable, and says "orientation from the image"', () => {
    const hint = { chestWallSide: 'left' as const, confidence: 0.9, method: 'edge-bands-v2' };
    for (const patientOrientation of ['', 'X\\Y', '\\']) {
      const right = orientMammo(makeInstance({ patientOrientation, pixelHint: hint }), 'R', 'CC');
      expect(right.flipHorizontal, patientOrientation).toBe(true);
      expect(right.check.status).toBe('image');
      expect(right.inferred).toEqual(['orientation from the image']);
      expect(right.warnings).toEqual([]);
    }
    const left = orientMammo(makeInstance({ pixelHint: hint }), 'L', 'CC');
    expect(left.flipHorizontal).toBe(false);
    expect(left.flipVertical).toBe(false);
  });

  it('shows an image as stored with a warning when neither header nor pixels tell its orientation', () => {
    const unknown = orientMammo(makeInstance({ pixelHint: { chestWallSide: null, confidence: 0.1, method: 'edge-bands-v2' } }), 'R', 'MLO');
    expect([unknown.flipHorizontal, unknown.flipVertical, unknown.rotation]).toEqual([false, false, 0]);
    expect(unknown.check.status).toBe('unknown');
    expect(unknown.warnings).toEqual(['orientation unknown: shown as stored, check the marker']);
  });
});

describe('orientation from the header, checked by the pixels (issue 17)', () => {
  const hint = (chestWallSide: 'left' | 'right' | null) => ({ chestWallSide, confidence: chestWallSide ? 0.8 : 0.1, method: 'edge-bands-v2' });
  const decide = (patientOrientation: string, laterality: 'R' | 'L', view: 'CC' | 'MLO', pixels: 'left' | 'right' | null, chosen?: 'left' | 'right') =>
    orientMammo(makeInstance({ patientOrientation, pixelHint: hint(pixels), orientationChoice: chosen ? { chestWallSide: chosen } : null }), laterality, view);
  const flips = (result: ReturnType<typeof orientMammo>): [boolean, boolean, number] => [result.flipHorizontal, result.flipVertical, result.rotation];

  it('reads the row direction in every written form: full, oblique, abbreviated, one value', () => {
    // RMLO wanted P\F: chest wall at the right (last) column.
    for (const [orientation, flipped] of [
      ['P\\F', false], ['P\\FL', false], ['P\\L', false], ['P', false], ['PL\\FL', false], [' p \\ fl ', false],
      ['A\\F', true], ['A\\FL', true], ['A\\L', true], ['A', true], ['AR\\F', true],
    ] as const) {
      const result = decide(orientation, 'R', 'MLO', null);
      expect(result.check.status, orientation).toBe('header');
      expect(result.flipHorizontal, orientation).toBe(flipped);
      expect(result.check.headerChestWall, orientation).toBe(flipped ? 'left' : 'right');
    }
  });

  it('turns vertically only where the column direction says H or F (MLO) or L or R (CC); an abbreviated column leaves it as stored', () => {
    expect(flips(decide('P\\HL', 'R', 'MLO', 'right'))).toEqual([false, true, 0]);
    expect(flips(decide('P\\H', 'R', 'MLO', 'right'))).toEqual([false, true, 0]);
    expect(flips(decide('A\\HR', 'L', 'MLO', 'left'))).toEqual([false, true, 0]);
    // "A\L" on a right MLO: the row says mirrored, the one column letter says nothing of head or foot.
    expect(flips(decide('A\\L', 'R', 'MLO', 'left'))).toEqual([true, false, 0]);
    expect(flips(decide('A\\H', 'R', 'MLO', 'left'))).toEqual([false, false, 180]);
    expect(flips(decide('P\\R', 'R', 'CC', 'right'))).toEqual([false, true, 0]);
    expect(flips(decide('P', 'R', 'CC', 'right'))).toEqual([false, false, 0]);
  });

  it('hangs every side and view of every form without a note when header and pixels agree', () => {
    for (const laterality of ['R', 'L'] as const) {
      for (const view of ['CC', 'MLO'] as const) {
        const seam = laterality === 'R' ? 'right' : 'left';
        const other = seam === 'right' ? 'left' : 'right';
        const row = laterality === 'R' ? 'P' : 'A';
        const mirroredRow = row === 'P' ? 'A' : 'P';
        const column = view === 'CC' ? (laterality === 'R' ? 'L' : 'R') : laterality === 'R' ? 'FL' : 'FR';
        const abbreviated = view === 'CC' ? '' : laterality === 'R' ? '\\L' : '\\R';
        for (const [header, pixels, flipped] of [
          [`${row}\\${column}`, seam, false], [`${row}${abbreviated}`, seam, false],
          [`${mirroredRow}\\${column}`, other, true], [`${mirroredRow}${abbreviated}`, other, true],
        ] as const) {
          const result = decide(header, laterality, view, pixels);
          const what = `${laterality}${view} ${header}`;
          expect(result.check.status, what).toBe('agree');
          expect(result.flipHorizontal, what).toBe(flipped);
          expect(result.flipVertical, what).toBe(false);
          expect(result.warnings, what).toEqual([]);
          expect(result.inferred, what).toEqual([]);
          expect(result.check.shownChestWall, what).toBe(pixels);
        }
      }
    }
  });

  it('hangs as the pixels show when the header contradicts them, with the red warning, until the reader chooses', () => {
    const contradiction = decide('A\\FL', 'R', 'MLO', 'right');
    expect(contradiction.check).toMatchObject({ status: 'disagree', headerChestWall: 'left', imageChestWall: 'right', shownChestWall: 'right', chosenChestWall: null });
    expect(flips(contradiction)).toEqual([false, false, 0]);
    expect(contradiction.warnings).toEqual(['header and image disagree: check the marker']);
    expect(contradiction.rules[0]).toContain('DISAGREE');
    // The reader flips it: the chest wall she names goes to the seam, the warning goes.
    const flipped = decide('A\\FL', 'R', 'MLO', 'right', 'left');
    expect(flipped.check.status).toBe('chosen');
    expect(flips(flipped)).toEqual([true, false, 0]);
    expect(flipped.warnings).toEqual([]);
    const kept = decide('A\\FL', 'R', 'MLO', 'right', 'right');
    expect(flips(kept)).toEqual([false, false, 0]);
    expect(kept.check.status).toBe('chosen');
    // Contradicting the other way round, on a left CC.
    const left = decide('P\\R', 'L', 'CC', 'left');
    expect(left.check.status).toBe('disagree');
    expect(left.flipHorizontal).toBe(false);
  });

  it('gives the reader\'s buttons their meaning: keep the edge at the seam, flip to the other', () => {
    expect(orientationChoicesFor(decide('A\\FL', 'R', 'MLO', 'right').check, 'R')).toEqual({ keep: 'right', flip: 'left' });
    expect(orientationChoicesFor(decide('A\\FL', 'R', 'MLO', 'right', 'left').check, 'R')).toEqual({ keep: 'left', flip: 'right' });
    // Nothing tells: shown as stored, so the stored left edge of a left breast is at the seam.
    expect(orientationChoicesFor(decide('', 'L', 'CC', null).check, 'L')).toEqual({ keep: 'left', flip: 'right' });
  });

  it('analyses the pixels of every single-frame breast image, whether its header says an orientation or not', () => {
    expect(needsPixelHint(mammogram('R', 'MLO'))).toBe(true);
    expect(needsPixelHint(makeInstance({ patientOrientation: '' }))).toBe(true);
    // Digitised film as Secondary Capture, known as a breast image by its written view.
    expect(needsPixelHint(makeInstance({ modality: 'SC', sopClassUid: '1.2.840.10008.5.1.4.1.1.7', bodyPartExamined: '', seriesDescription: 'LMLO' }))).toBe(true);
    expect(needsPixelHint(makeInstance({ numberOfFrames: 40 }))).toBe(false);
    expect(needsPixelHint(makeInstance({ modality: 'MR', sopClassUid: '1.2.840.10008.5.1.4.1.1.4' }))).toBe(false);
  });

  it('lets the header decide, silently, where the pixels cannot tell', () => {
    const result = decide('A\\L', 'R', 'MLO', null);
    expect(result.check.status).toBe('header');
    expect(result.flipHorizontal).toBe(true);
    expect(result.warnings).toEqual([]);
    expect(result.rules[0]).toContain('pixels: chest wall not found');
  });
});

/** A synthetic breast: tissue (bright) touching one edge over most of the height, air (dark) elsewhere. */
function breastImage(rows: number, columns: number, chestWall: 'left' | 'right', invert: boolean): number[] {
  const values: number[] = [];
  for (let row = 0; row < rows; row += 1) {
    // A half-disc whose flat side is the chest wall.
    const halfHeight = rows * 0.45;
    const dy = Math.abs(row - rows / 2);
    const depth = dy < halfHeight ? Math.sqrt(halfHeight * halfHeight - dy * dy) * (columns * 0.7 / halfHeight) : 0;
    for (let column = 0; column < columns; column += 1) {
      const fromWall = chestWall === 'left' ? column : columns - 1 - column;
      const tissue = fromWall < depth;
      const value = tissue ? 900 + ((row * 7 + column * 13) % 50) : 20 + ((row + column) % 5);
      values.push(invert ? 1000 - value : value);
    }
  }
  return values;
}

describe('chest-wall side from pixels', () => {
  it('finds the chest wall on the left and on the right', () => {
    expect(inferChestWallSide({ rows: 80, columns: 60, values: breastImage(80, 60, 'left', false), invert: false }).chestWallSide).toBe('left');
    expect(inferChestWallSide({ rows: 80, columns: 60, values: breastImage(80, 60, 'right', false), invert: false }).chestWallSide).toBe('right');
  });

  it('reads MONOCHROME1 images, where tissue is darker than air', () => {
    expect(inferChestWallSide({ rows: 80, columns: 60, values: breastImage(80, 60, 'right', true), invert: true }).chestWallSide).toBe('right');
  });

  it('reads digitised film: a grey film base, a blacked-out label and a bright marker do not hide the chest wall', () => {
    const rows = 80;
    const columns = 60;
    // Film base is grey (300), not black; tissue is brighter.
    const values = breastImage(rows, columns, 'left', false).map((value) => (value < 100 ? 300 + (value % 5) : value));
    for (let row = 30; row < 50; row += 1) {
      for (let column = 50; column < 56; column += 1) {
        values[row * columns + column] = 0;
      }
    }
    for (let row = 6; row < 12; row += 1) {
      for (let column = 44; column < 52; column += 1) {
        values[row * columns + column] = 4095;
      }
    }
    const hint = inferChestWallSide({ rows, columns, values, invert: false });
    expect(hint.chestWallSide).toBe('left');
    expect(hint.method).toBe('edge-bands-v2');
  });

  it('returns no side for a marker on noise', () => {
    const rows = 80;
    const columns = 60;
    const values = Array.from({ length: rows * columns }, (_, index) => 20 + ((index * 7919) % 11));
    // A burned-in "R" marker near the right edge.
    for (let row = 10; row < 18; row += 1) {
      for (let column = columns - 4; column < columns; column += 1) {
        values[row * columns + column] = 1000;
      }
    }
    expect(inferChestWallSide({ rows, columns, values, invert: false }).chestWallSide).toBeNull();
  });
});
