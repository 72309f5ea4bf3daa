import { describe, expect, it } from 'vitest';
import { inferChestWallSide } from '../../shared/hanging/chest-wall.ts';

/**
 * A synthetic projection: tissue (bright) fills a half-disc against one edge, air (dim, as film base
 * is) elsewhere, and a label blanked to black sits on the air side, as on digitised films.
 */
function film(chestWall: 'left' | 'right', { invert = false } = {}): { rows: number; columns: number; values: Float64Array; invert: boolean } {
  const rows = 200;
  const columns = 120;
  const values = new Float64Array(rows * columns);
  for (let row = 0; row < rows; row += 1) {
    for (let column = 0; column < columns; column += 1) {
      const fromWall = chestWall === 'left' ? column : columns - 1 - column;
      const reach = 90 * Math.sqrt(Math.max(0, 1 - ((row - 100) / 100) ** 2));
      let value = fromWall < reach ? 2500 + ((row * 7 + column * 13) % 400) : 540 + ((row + column) % 40);
      const label = fromWall > 100 && fromWall < 115 && row > 120 && row < 160;
      if (label) {
        value = 0;
      }
      values[row * columns + column] = invert ? 4095 - value : value;
    }
  }
  return { rows, columns, values, invert };
}

describe('chest-wall side from pixels', () => {
  it('finds the edge the tissue lies against, a blanked label on the air side notwithstanding', () => {
    expect(inferChestWallSide(film('left')).chestWallSide).toBe('left');
    expect(inferChestWallSide(film('right')).chestWallSide).toBe('right');
  });

  it('reads MONOCHROME1 with tissue darker than air', () => {
    expect(inferChestWallSide(film('right', { invert: true })).chestWallSide).toBe('right');
  });

  it('gives no side for a uniform image', () => {
    expect(inferChestWallSide({ rows: 20, columns: 20, values: new Float64Array(400).fill(100), invert: false }).chestWallSide).toBeNull();
  });
});
