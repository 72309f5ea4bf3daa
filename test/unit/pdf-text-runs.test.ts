import { describe, expect, it } from 'vitest';
import type { FontFace, LoadedFace } from '../../electron/services/reports/pdf-fonts.ts';
import { textRuns, visualOrder } from '../../electron/services/reports/pdf-fonts.ts';

/** Faces that cover code point ranges, standing in for the fonts' character maps. */
function face(name: FontFace, ranges: [number, number][], rightToLeft = false): LoadedFace {
  return {
    face: name,
    regular: Buffer.alloc(0),
    bold: null,
    rightToLeft,
    covers: (codePoint) => ranges.some(([first, last]) => codePoint >= first && codePoint <= last),
  };
}

const latin = face('latin', [
  [0x20, 0x7e],
  [0xc0, 0x24f],
]);
const hebrew = face('hebrew', [[0x590, 0x5ff]], true);
const japanese = face('japanese', [
  [0x20, 0x7e],
  [0x3040, 0x30ff],
  [0x4e00, 0x9fff],
]);
const korean = face('korean', [
  [0x20, 0x7e],
  [0xac00, 0xd7af],
]);
const faces = [latin, hebrew, japanese, korean];

function described(runs: { face: LoadedFace; text: string }[]): string[] {
  return runs.map((run) => `${run.face.face}:${run.text}`);
}

describe('text runs by the font that prints them', () => {
  it('keeps spaces and punctuation in the run around them and switches fonts at other scripts', () => {
    const { runs, missing } = textRuns('Hong, Gildong (洪 吉洞; 홍 길동)', faces);
    expect(described(runs)).toEqual(['latin:Hong, Gildong (', 'japanese:洪 吉洞; ', 'korean:홍 길동)']);
    expect(missing).toEqual([]);
  });

  it('names the characters no font has (they would print as boxes)', () => {
    const { runs, missing } = textRuns('Ω x', faces);
    expect(missing).toEqual(['Ω']);
    expect(runs[0]?.face.face).toBe('latin');
  });

  it('draws a right-to-left stretch word by word in reverse, the text around it in order', () => {
    const { runs } = textRuns('Patient: שרון, דבורה (ID 7)', faces);
    expect(described(runs)).toEqual(['latin:Patient: ', 'hebrew:שרון', 'latin:, ', 'hebrew:דבורה', 'latin: (ID 7)']);
    expect(described(visualOrder(runs))).toEqual(['latin:Patient: ', 'hebrew:דבורה', 'latin: ', 'latin:,', 'hebrew:שרון', 'latin: (ID 7)']);
  });

  it('leaves left-to-right text as it is', () => {
    const { runs } = textRuns('Yamada, Tarou (山田 太郎)', faces);
    expect(visualOrder(runs)).toEqual(runs);
  });
});
