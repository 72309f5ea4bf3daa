// A 5x7 block font for the laterality/view markers mammography units burn into their images.
const GLYPHS: Record<string, string[]> = {
  C: ['.###.', '#...#', '#....', '#....', '#....', '#...#', '.###.'],
  D: ['####.', '#...#', '#...#', '#...#', '#...#', '#...#', '####.'],
  I: ['.###.', '..#..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  L: ['#....', '#....', '#....', '#....', '#....', '#....', '#####'],
  M: ['#...#', '##.##', '#.#.#', '#.#.#', '#...#', '#...#', '#...#'],
  O: ['.###.', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
  R: ['####.', '#...#', '#...#', '####.', '#.#..', '#..#.', '#...#'],
  S: ['.####', '#....', '#....', '.###.', '....#', '....#', '####.'],
  X: ['#...#', '#...#', '.#.#.', '..#..', '.#.#.', '#...#', '#...#'],
  '1': ['..#..', '.##..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  '2': ['.###.', '#...#', '....#', '...#.', '..#..', '.#...', '#####'],
  '3': ['####.', '....#', '....#', '.###.', '....#', '....#', '####.'],
  '4': ['...#.', '..##.', '.#.#.', '#..#.', '#####', '...#.', '...#.'],
  '5': ['#####', '#....', '####.', '....#', '....#', '#...#', '.###.'],
  '6': ['.###.', '#....', '#....', '####.', '#...#', '#...#', '.###.'],
  '7': ['#####', '....#', '...#.', '..#..', '.#...', '.#...', '.#...'],
  '8': ['.###.', '#...#', '#...#', '.###.', '#...#', '#...#', '.###.'],
  '9': ['.###.', '#...#', '#...#', '.####', '....#', '....#', '.###.'],
  ' ': ['.....', '.....', '.....', '.....', '.....', '.....', '.....'],
};

export interface TextPlacement {
  top: number;
  /** Which image edge the text is set against. */
  side: 'left' | 'right';
  margin: number;
  /** Pixels per font dot. */
  scale: number;
  value: number;
}

/** Width in pixels of `text` at `scale` (one dot of space between letters). */
function textWidth(text: string, scale: number): number {
  return text.length * 6 * scale - scale;
}

/** Burns `text` into a row-major image (unknown characters are left blank). */
export function drawText(pixels: Uint16Array, columns: number, rows: number, text: string, placement: TextPlacement): void {
  const { scale } = placement;
  const width = textWidth(text, scale);
  const left = placement.side === 'left' ? placement.margin : columns - placement.margin - width;
  [...text].forEach((character, index) => {
    const glyph = GLYPHS[character.toUpperCase()] ?? GLYPHS[' ']!;
    glyph.forEach((line, dotRow) => {
      [...line].forEach((dot, dotColumn) => {
        if (dot !== '#') {
          return;
        }
        for (let dy = 0; dy < scale; dy += 1) {
          for (let dx = 0; dx < scale; dx += 1) {
            const row = placement.top + dotRow * scale + dy;
            const column = left + (index * 6 + dotColumn) * scale + dx;
            if (row >= 0 && row < rows && column >= 0 && column < columns) {
              pixels[row * columns + column] = placement.value;
            }
          }
        }
      });
    });
  });
}
