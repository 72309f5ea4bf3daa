import { BIRADS_CATEGORIES } from '../../../../shared/reports/birads.ts';

/**
 * The overview's figures laid out for the screen: the category matrix as a grid, and the rates over
 * time as stacked bars in chart coordinates. Pure, so the layout is tested without a browser.
 */

const ORDER = ['-', ...BIRADS_CATEGORIES];

export interface MatrixGrid {
  /** Outside categories, in BI-RADS order: the rows. */
  outside: string[];
  /** Second-opinion categories, in BI-RADS order: the columns. */
  secondOpinion: string[];
  /** count[row][column]; 0 where no case fell. */
  counts: number[][];
  total: number;
}

/** The sparse matrix cells as a grid holding only the categories that occur. */
export function matrixGrid(cells: readonly { outside: string; secondOpinion: string; count: number }[]): MatrixGrid {
  const rank = (category: string): number => {
    const index = ORDER.indexOf(category);
    return index < 0 ? ORDER.length : index;
  };
  const sorted = (values: string[]): string[] => [...new Set(values)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const outside = sorted(cells.map((cell) => cell.outside));
  const secondOpinion = sorted(cells.map((cell) => cell.secondOpinion));
  const counts = outside.map(() => secondOpinion.map(() => 0));
  for (const cell of cells) {
    const row = counts[outside.indexOf(cell.outside)];
    if (row) {
      row[secondOpinion.indexOf(cell.secondOpinion)] = (row[secondOpinion.indexOf(cell.secondOpinion)] ?? 0) + cell.count;
    }
  }
  return { outside, secondOpinion, counts, total: cells.reduce((sum, cell) => sum + cell.count, 0) };
}

export interface PeriodRates {
  key: string;
  total: number;
  concordantRate: number;
  minorRate: number;
  majorRate: number;
}

export interface BarSegment {
  verdict: 'concordant' | 'minor' | 'major';
  y: number;
  height: number;
  rate: number;
}

export interface Bar {
  key: string;
  total: number;
  x: number;
  width: number;
  /** Bottom to top: concordant, minor, major; together the plot's full height (100 %). */
  segments: BarSegment[];
}

export interface ChartFrame {
  width: number;
  height: number;
  /** The plot area inside the axes. */
  left: number;
  top: number;
  plotWidth: number;
  plotHeight: number;
}

/** One 100 % stacked bar per period: the shares of concordant, minor and major verdicts that month. */
export function rateBars(periods: readonly PeriodRates[], frame: ChartFrame): Bar[] {
  if (periods.length === 0) {
    return [];
  }
  const slot = frame.plotWidth / periods.length;
  const width = Math.min(48, slot * 0.7);
  return periods.map((period, index) => {
    let bottom = frame.top + frame.plotHeight;
    const segments: BarSegment[] = (['concordant', 'minor', 'major'] as const).map((verdict) => {
      const rate = period[`${verdict}Rate`];
      const height = rate * frame.plotHeight;
      bottom -= height;
      return { verdict, y: bottom, height, rate };
    });
    return { key: period.key, total: period.total, x: frame.left + slot * index + (slot - width) / 2, width, segments };
  });
}

/** "12.5 %" with one decimal, "0 %" for none. */
export function percent(rate: number): string {
  return rate === 0 ? '0 %' : `${(Math.round(rate * 1000) / 10).toFixed(1)} %`;
}
