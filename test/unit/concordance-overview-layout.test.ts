import { describe, expect, it } from 'vitest';
import { matrixGrid, percent, rateBars } from '../../renderer/src/features/concordance/overview-layout.ts';

describe('the overview\'s layout', () => {
  it('lays the sparse category matrix out as a grid in BI-RADS order, 0 where no case fell', () => {
    const grid = matrixGrid([
      { outside: '4A', secondOpinion: '2', count: 1 },
      { outside: '2', secondOpinion: '4C', count: 2 },
      { outside: '-', secondOpinion: '1', count: 1 },
      { outside: '2', secondOpinion: '2', count: 5 },
    ]);
    expect(grid.outside).toEqual(['-', '2', '4A']);
    expect(grid.secondOpinion).toEqual(['1', '2', '4C']);
    expect(grid.counts).toEqual([
      [1, 0, 0],
      [0, 5, 2],
      [0, 1, 0],
    ]);
    expect(grid.total).toBe(9);
  });

  it('draws one 100 % stacked bar per month whose segments are the rates, concordant at the bottom', () => {
    const frame = { width: 400, height: 200, left: 40, top: 10, plotWidth: 300, plotHeight: 100 };
    const bars = rateBars(
      [
        { key: '2026-01', total: 4, concordantRate: 0.5, minorRate: 0.25, majorRate: 0.25 },
        { key: '2026-02', total: 1, concordantRate: 0, minorRate: 0, majorRate: 1 },
      ],
      frame,
    );
    expect(bars.map((bar) => bar.key)).toEqual(['2026-01', '2026-02']);
    const [january, february] = bars;
    expect(january?.segments.map((segment) => [segment.verdict, segment.height])).toEqual([
      ['concordant', 50],
      ['minor', 25],
      ['major', 25],
    ]);
    // Stacked: each segment sits on the one below; the top one reaches the top of the plot.
    expect(january?.segments[0]?.y).toBe(60);
    expect(january?.segments[1]?.y).toBe(35);
    expect(january?.segments[2]?.y).toBe(10);
    expect(february?.segments[2]).toMatchObject({ y: 10, height: 100 });
    // The bars sit in their own halves of the plot, inside it.
    expect(january!.x).toBeGreaterThanOrEqual(40);
    expect(february!.x).toBeGreaterThan(january!.x + january!.width);
    expect(february!.x + february!.width).toBeLessThanOrEqual(340);
    expect(rateBars([], frame)).toEqual([]);
  });

  it('writes rates as percentages with one decimal', () => {
    expect(percent(0)).toBe('0 %');
    expect(percent(1)).toBe('100.0 %');
    expect(percent(1 / 3)).toBe('33.3 %');
  });
});
