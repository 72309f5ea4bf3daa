import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';

/**
 * The fonts a report PDF embeds, and which of them prints each character. Patient names come in every
 * character set DICOM has (Latin, Greek, Cyrillic, Hebrew, Arabic, Japanese, Korean, Chinese); no one
 * font covers them all, so text is cut into runs, each set in the first font that has its characters.
 * The fonts are OFL-licensed Noto faces from npm packages; the PDF embeds only the glyphs it uses.
 */

export type FontFace = 'latin' | 'hebrew' | 'arabic' | 'japanese' | 'korean' | 'chinese';

interface FaceFiles {
  face: FontFace;
  packageName: string;
  regular: string;
  /** The CJK faces have no bold here: their bold weights are large and headings rarely need them. */
  bold: string | null;
  rightToLeft: boolean;
}

// Order matters: a character goes to the first face that has it (Han shared by Japanese, Korean and
// Chinese goes to the Japanese face; simplified forms it lacks to the Chinese one).
const FACES: FaceFiles[] = [
  { face: 'latin', packageName: '@embedpdf/fonts-latin', regular: 'NotoSans-Regular.ttf', bold: 'NotoSans-Bold.ttf', rightToLeft: false },
  { face: 'hebrew', packageName: '@embedpdf/fonts-hebrew', regular: 'NotoSansHebrew-Regular.ttf', bold: 'NotoSansHebrew-Bold.ttf', rightToLeft: true },
  { face: 'arabic', packageName: '@embedpdf/fonts-arabic', regular: 'NotoNaskhArabic-Regular.ttf', bold: 'NotoNaskhArabic-Bold.ttf', rightToLeft: true },
  { face: 'japanese', packageName: '@embedpdf/fonts-jp', regular: 'NotoSansJP-Regular.otf', bold: null, rightToLeft: false },
  { face: 'korean', packageName: '@embedpdf/fonts-kr', regular: 'NotoSansKR-Regular.otf', bold: null, rightToLeft: false },
  { face: 'chinese', packageName: '@embedpdf/fonts-sc', regular: 'NotoSansHans-Regular.otf', bold: null, rightToLeft: false },
];

export interface LoadedFace {
  face: FontFace;
  regular: Buffer;
  bold: Buffer | null;
  rightToLeft: boolean;
  covers(codePoint: number): boolean;
}

const require = createRequire(import.meta.url);
let loaded: LoadedFace[] | null = null;

function fontFile(packageName: string, file: string): Buffer {
  // The packages export only their index (dist/); the fonts sit in fonts/ beside it.
  return readFileSync(join(dirname(require.resolve(packageName)), '..', 'fonts', file));
}

/** The report fonts, read once per process (the CJK faces are several megabytes each). */
export function reportFonts(): LoadedFace[] {
  if (!loaded) {
    loaded = FACES.map((files) => {
      const regular = fontFile(files.packageName, files.regular);
      const font = fontkit.create(regular);
      return {
        face: files.face,
        regular,
        bold: files.bold ? fontFile(files.packageName, files.bold) : null,
        rightToLeft: files.rightToLeft,
        covers: (codePoint: number) => font.hasGlyphForCodePoint(codePoint),
      };
    });
  }
  return loaded;
}

export interface TextRun {
  face: LoadedFace;
  text: string;
}

/** Spaces, digits and ASCII punctuation stay in the run around them when its font has them. */
function isNeutral(codePoint: number): boolean {
  return codePoint < 0x80 && !/[A-Za-z]/.test(String.fromCodePoint(codePoint));
}

/**
 * The text cut into runs by the font that prints them. A character no font has goes to the Latin face
 * (it prints as that font's missing-glyph box, and `missing` names it).
 */
export function textRuns(text: string, faces: LoadedFace[] = reportFonts()): { runs: TextRun[]; missing: string[] } {
  const runs: TextRun[] = [];
  const missing: string[] = [];
  const fallback = faces[0] as LoadedFace;
  for (const character of text) {
    const codePoint = character.codePointAt(0) as number;
    const current = runs[runs.length - 1];
    let face: LoadedFace;
    if (current && isNeutral(codePoint) && current.face.covers(codePoint)) {
      face = current.face;
    } else {
      const found = faces.find((candidate) => candidate.covers(codePoint));
      if (!found && !/\s/.test(character)) {
        missing.push(character);
      }
      face = found ?? fallback;
    }
    if (current && current.face === face) {
      current.text += character;
    } else {
      runs.push({ face, text: character });
    }
  }
  return { runs, missing };
}

const NEUTRAL_TEXT = /^[\s\p{P}\p{S}\p{N}]*$/u;

/**
 * The runs in the order they are drawn, left to right. A right-to-left stretch (Hebrew or Arabic runs
 * and the spaces and punctuation between them) is cut into words and separators drawn in reverse
 * order; the font's shaping sets each word's letters right to left. This is the part of the Unicode
 * bidirectional algorithm that names need, not all of it (no nesting, no mirrored brackets).
 */
export function visualOrder(runs: TextRun[]): TextRun[] {
  const drawn: TextRun[] = [];
  let stretch: TextRun[] = [];
  const flush = (): void => {
    // Trailing neutrals belong after the stretch, in reading order.
    const trailing: TextRun[] = [];
    while (stretch.length > 0 && !(stretch[stretch.length - 1] as TextRun).face.rightToLeft) {
      trailing.unshift(stretch.pop() as TextRun);
    }
    const pieces = stretch.flatMap((run) => run.text.split(/(\s+|[^\s\p{L}\p{M}]+)/u).filter(Boolean).map((text) => ({ face: run.face, text })));
    drawn.push(...pieces.reverse(), ...trailing);
    stretch = [];
  };
  for (const run of runs) {
    if (run.face.rightToLeft || (stretch.length > 0 && NEUTRAL_TEXT.test(run.text))) {
      stretch.push(run);
    } else {
      flush();
      drawn.push(run);
    }
  }
  flush();
  return drawn;
}
