import { describe, expect, it } from 'vitest';
import type { ResolvedLayout, ResolvedSlot } from '../../shared/hanging/layout.ts';
import { resolvedLayoutSchema } from '../../shared/hanging/layout.ts';
import { commonScale, placeImage } from '../../renderer/src/imaging/placement.ts';
import type { Placement } from '../../renderer/src/imaging/placement.ts';
import {
  bounded, hangsByDefault, labelCorner, moved, placementsFor, protocolIdOf, steppedPrior, steppedStage, syncGroupsOf, syncInfoOf,
} from '../../renderer/src/features/hanging/hanging-layout.ts';

const CELL = { width: 400, height: 500 };

function placement(change: Partial<Placement> = {}): Placement {
  return { flipHorizontal: false, flipVertical: false, rotation: 0, horizontal: 'center', vertical: 'center', scale: { kind: 'fit' }, ...change };
}

/** Where the drawn image's edges are in the cell (CSS pixels from its top-left corner). */
function edges(view: { pan: [number, number]; drawnSize: [number, number] }): { left: number; right: number; top: number; bottom: number } {
  const centreX = CELL.width / 2 + view.pan[0];
  const centreY = CELL.height / 2 + view.pan[1];
  return {
    left: centreX - view.drawnSize[0] / 2,
    right: centreX + view.drawnSize[0] / 2,
    top: centreY - view.drawnSize[1] / 2,
    bottom: centreY + view.drawnSize[1] / 2,
  };
}

describe('placing a hung image in its cell', () => {
  // A portrait mammogram: 3000 rows x 2000 columns at 0.1 mm: 200 mm wide, 300 mm high.
  const image = { rows: 3000, columns: 2000, worldSpacing: [0.1, 0.1] as [number, number] };

  it('fits and centres by default: zoom 1, no pan', () => {
    const view = placeImage(CELL, image, placement());
    expect(view.zoom).toBeCloseTo(1, 9);
    expect(view.pan).toEqual([0, 0]);
    // Height-limited: 500 px for 300 mm.
    expect(view.drawnSize[1]).toBeCloseTo(500, 9);
    expect(view.drawnSize[0]).toBeCloseTo(333.333, 2);
  });

  it('pins a right-breast image to the right edge and the top, a left-breast image to the left edge', () => {
    const right = edges(placeImage(CELL, image, placement({ horizontal: 'right', vertical: 'top' })));
    expect(right.right).toBeCloseTo(CELL.width, 9);
    expect(right.top).toBeCloseTo(0, 9);
    const left = edges(placeImage(CELL, image, placement({ horizontal: 'left', vertical: 'top' })));
    expect(left.left).toBeCloseTo(0, 9);
    expect(left.top).toBeCloseTo(0, 9);
  });

  it('draws one mm as the asked CSS pixels, whatever the world spacing', () => {
    const mm = placement({ horizontal: 'left', vertical: 'top', scale: { kind: 'mm', cssPixelsPerMm: 1.25, mmPerPixel: [0.1, 0.1] } });
    const view = placeImage(CELL, image, mm);
    expect(view.drawnSize[0]).toBeCloseTo(250, 9);
    expect(view.drawnSize[1]).toBeCloseTo(375, 9);
    // Fitted it would be 500/300 px per mm: 1.25 is 0.75 of that.
    expect(view.zoom).toBeCloseTo(0.75, 9);
    // The same image laid out in pixel units (no spacing known to the viewport) is drawn the same size.
    const inPixels = placeImage(CELL, { ...image, worldSpacing: [1, 1] }, mm);
    expect(inPixels.drawnSize[0]).toBeCloseTo(250, 9);
    expect(inPixels.zoom).toBeCloseTo(0.75, 9);
  });

  it('swaps width and height for a quarter turn', () => {
    const view = placeImage(CELL, image, placement({ rotation: 90 }));
    // 300 mm wide, 200 mm high after the turn: width-limited at 400 px.
    expect(view.drawnSize[0]).toBeCloseTo(400, 9);
    expect(view.drawnSize[1]).toBeCloseTo(266.667, 2);
    expect(view.zoom).toBeCloseTo(1, 9);
  });

  it('draws one image pixel per CSS pixel at actual pixels, the top kept at the top', () => {
    const view = placeImage(CELL, image, placement({ vertical: 'top', scale: { kind: 'actual-pixels' } }));
    expect(view.drawnSize).toEqual([2000, 3000]);
    expect(edges(view).top).toBeCloseTo(0, 9);
  });
});

describe('the common scale of a same-size stage', () => {
  it('is decided by the physically largest image: it fits, the others are drawn at its mm-to-pixel ratio', () => {
    const large = { cell: CELL, rows: 3000, columns: 2400, mmPerPixel: [0.1, 0.1] as [number, number], rotation: 0 }; // 240 x 300 mm
    const small = { cell: CELL, rows: 2294, columns: 1914, mmPerPixel: [0.085, 0.085] as [number, number], rotation: 0 }; // 163 x 195 mm
    const scale = commonScale([small, large]);
    expect(scale).toBeCloseTo(Math.min(400 / 240, 500 / 300), 9);
    // The small one then takes less of its cell than it would fitted.
    expect((scale as number) * 195).toBeLessThan(500);
  });

  it('is null when no image is calibrated or has a size', () => {
    expect(commonScale([])).toBeNull();
    expect(commonScale([{ cell: { width: 0, height: 0 }, rows: 10, columns: 10, mmPerPixel: [0.1, 0.1], rotation: 0 }])).toBeNull();
  });
});

function slot(name: string, change: Partial<ResolvedSlot>): ResolvedSlot {
  return {
    slot: name, row: 0, column: 0, role: 'current', priorNumber: null,
    studyInstanceUid: '1.2.3', seriesInstanceUid: '1.2.3.1', sopInstanceUid: `1.2.3.1.${name.slice(3)}`,
    studyDate: '20240315', facility: 'Clinic A', label: 'RCC', laterality: 'R', view: 'CC', modifiers: [],
    seriesRole: null, phase: null, flipHorizontal: false, flipVertical: false, rotation: 0,
    justification: { horizontal: 'right', vertical: 'top' }, scaling: 'same-size', mmPerPixel: [0.1, 0.1],
    calibrationKind: 'imager-ermf', syncGroups: [], inferred: [], rules: [], warnings: [], empty: null, alternatives: [],
    ...change,
  };
}

/** A 1x4 mammography stage by hand: prior RMLO (smaller detector), prior LMLO empty, current RMLO, current LMLO flipped. */
function layout(change: Partial<ResolvedLayout> = {}): ResolvedLayout {
  return resolvedLayoutSchema.parse({
    protocol: { id: 'mg-second-opinion', name: 'MG – second opinion' },
    stage: { id: 'mlo', number: 2, name: 'MLO current vs prior', count: 4 },
    stages: [
      { id: 'overview', number: 1, name: 'Overview', status: 'enabled' },
      { id: 'mlo', number: 2, name: 'MLO current vs prior', status: 'enabled' },
      { id: 'tomo', number: 3, name: 'Tomosynthesis', status: 'disabled' },
      { id: 'right', number: 4, name: 'Right breast', status: 'passive' },
    ],
    grid: { rows: 1, columns: 4 },
    prior: { studyInstanceUid: '1.2.2', studyDate: '20230210', facility: 'Hospital B', reason: 'most recent at least 9 months older' },
    priors: [
      { studyInstanceUid: '1.2.2', studyDate: '20230210', facility: 'Hospital B', studyDescription: '', modalities: ['MG'] },
      { studyInstanceUid: '1.2.1', studyDate: '20200101', facility: 'Hospital B', studyDescription: '', modalities: ['MG'] },
    ],
    slots: [
      slot('vp-0', { role: 'prior', priorNumber: 1, studyInstanceUid: '1.2.2', label: 'RMLO', mmPerPixel: [0.085, 0.085], syncGroups: ['zoom-r'] }),
      slot('vp-1', { role: 'prior', priorNumber: 1, studyInstanceUid: '1.2.2', label: 'No prior LMLO', laterality: 'L', sopInstanceUid: null, empty: 'No prior LMLO', justification: { horizontal: 'left', vertical: 'top' }, syncGroups: ['zoom-l'] }),
      slot('vp-2', { label: 'RMLO', syncGroups: ['zoom-r'] }),
      slot('vp-3', { label: 'LMLO', laterality: 'L', flipHorizontal: true, justification: { horizontal: 'left', vertical: 'top' }, syncGroups: ['zoom-l'] }),
    ],
    syncGroups: [{ id: 'zoom-r', kind: 'zoom-pan' }, { id: 'zoom-l', kind: 'zoom-pan' }],
    additional: [],
    candidates: [{ id: 'mg-second-opinion', name: 'MG – second opinion', score: 10 }],
    warnings: [],
    ...change,
  });
}

describe('what the hanging view derives from a resolved layout', () => {
  const cells = new Map(['vp-0', 'vp-1', 'vp-2', 'vp-3'].map((name) => [name, CELL]));
  const sizes = new Map([
    ['1.2.3.1.0', { rows: 2294, columns: 1914 }],
    ['1.2.3.1.2', { rows: 3000, columns: 2400 }],
    ['1.2.3.1.3', { rows: 3000, columns: 2400 }],
  ]);

  it('gives every image slot one mm-to-pixel scale, and keeps flips, rotation and justification from the layout', () => {
    const placements = placementsFor(layout(), cells, sizes);
    expect([...placements.keys()]).toEqual(['vp-0', 'vp-2', 'vp-3']);
    const scales = [...placements.values()].map((p) => (p.scale.kind === 'mm' ? p.scale.cssPixelsPerMm : null));
    expect(new Set(scales).size).toBe(1);
    expect(scales[0]).toBeCloseTo(Math.min(400 / 240, 500 / 300), 9);
    expect(placements.get('vp-3')).toMatchObject({ flipHorizontal: true, horizontal: 'left', vertical: 'top' });
    expect(placements.get('vp-0')).toMatchObject({ horizontal: 'right', scale: { mmPerPixel: [0.085, 0.085] } });
    // On screen: the prior's 0.085 mm pixels are drawn smaller than the current's 0.1 mm ones, by that ratio.
    const drawn = (name: string) => {
      const p = placements.get(name) as Placement;
      const size = sizes.get(`1.2.3.1.${name.slice(3)}`) as { rows: number; columns: number };
      return placeImage(CELL, { ...size, worldSpacing: [1, 1] }, p);
    };
    const priorPerPixel = drawn('vp-0').drawnSize[0] / 1914;
    const currentPerPixel = drawn('vp-2').drawnSize[0] / 2400;
    expect(priorPerPixel / currentPerPixel).toBeCloseTo(0.85, 9);
  });

  it('fits slots without a calibration, and slots the protocol fits', () => {
    const uncalibrated = layout();
    uncalibrated.slots[2] = { ...(uncalibrated.slots[2] as ResolvedSlot), mmPerPixel: null };
    uncalibrated.slots[3] = { ...(uncalibrated.slots[3] as ResolvedSlot), scaling: 'fit' };
    const placements = placementsFor(uncalibrated, cells, sizes);
    expect(placements.get('vp-2')?.scale).toEqual({ kind: 'fit' });
    expect(placements.get('vp-3')?.scale).toEqual({ kind: 'fit' });
    // The one calibrated same-size image left fits its own cell.
    const only = placements.get('vp-0')?.scale;
    expect(only?.kind === 'mm' && only.cssPixelsPerMm).toBeCloseTo(Math.min(400 / (1914 * 0.085), 500 / (2294 * 0.085)), 9);
  });

  it('hands each sync group to the sync service with the slots that show an image, plus the stage\'s scale group and window group', () => {
    expect(syncGroupsOf(layout())).toEqual([
      { id: 'zoom-r', kind: 'zoom-pan', slots: ['vp-0', 'vp-2'] },
      { id: 'zoom-l', kind: 'zoom-pan', slots: ['vp-3'] },
      // Every same-size image (current and prior, right and left) zooms and pans together, mirrored across the seam.
      { id: 'stage-scale', kind: 'zoom-pan', mirrorHorizontalPan: true, slots: ['vp-0', 'vp-2', 'vp-3'] },
      // Every mammogram takes the reader's window.
      { id: 'stage-window', kind: 'voi', anyRole: true, slots: ['vp-0', 'vp-2', 'vp-3'] },
    ]);
    expect(syncInfoOf(layout())['vp-3']).toEqual({ seriesRole: null, laterality: 'L' });
  });

  it('leaves the scale group unmirrored when the stage shows one side only, and out when images are fitted', () => {
    const right = layout({ slots: layout().slots.map((s) => ({ ...s, laterality: 'R' as const })) });
    expect(syncGroupsOf(right).find((g) => g.id === 'stage-scale')).toEqual({ id: 'stage-scale', kind: 'zoom-pan', slots: ['vp-0', 'vp-2', 'vp-3'] });
    const fitted = layout({ slots: layout().slots.map((s) => ({ ...s, scaling: 'fit' as const })) });
    expect(syncGroupsOf(fitted).some((g) => g.id === 'stage-scale')).toBe(false);
  });

  it('draws the whole stage fitted, at true pixels or same size when the reader chooses so', () => {
    const fit = placementsFor(layout(), cells, sizes, 'fit');
    expect([...fit.values()].map((p) => p.scale)).toEqual([{ kind: 'fit' }, { kind: 'fit' }, { kind: 'fit' }]);
    const pixels = placementsFor(layout(), cells, sizes, 'actual-pixels');
    expect([...pixels.values()].map((p) => p.scale.kind)).toEqual(['actual-pixels', 'actual-pixels', 'actual-pixels']);
    // Same size also for a slot its protocol fits, as long as it is calibrated.
    const mixed = layout();
    mixed.slots[3] = { ...(mixed.slots[3] as ResolvedSlot), scaling: 'fit' };
    const same = placementsFor(mixed, cells, sizes, 'same-size');
    const scales = [...same.values()].map((p) => (p.scale.kind === 'mm' ? p.scale.cssPixelsPerMm : null));
    expect(scales.every((value) => value !== null)).toBe(true);
    expect(new Set(scales).size).toBe(1);
  });

  it('puts the view label at the top corner away from the chest wall', () => {
    expect(labelCorner({ justification: { horizontal: 'right', vertical: 'top' } })).toBe('top-left');
    expect(labelCorner({ justification: { horizontal: 'left', vertical: 'top' } })).toBe('top-right');
    expect(labelCorner({ justification: { horizontal: 'center', vertical: 'center' } })).toBe('top-left');
  });

  it('steps through stages skipping disabled ones, and stops at the ends', () => {
    expect(steppedStage(layout(), 1)).toBe(4);
    expect(steppedStage(layout(), -1)).toBe(1);
    expect(steppedStage(layout({ stage: { id: 'right', number: 4, name: 'Right breast', count: 4 } }), 1)).toBeNull();
    expect(steppedStage(layout({ stage: { id: 'overview', number: 1, name: 'Overview', count: 4 } }), -1)).toBeNull();
  });

  it('steps to an older and a newer prior, newest first, and stops at the ends', () => {
    expect(steppedPrior(layout(), 1)).toBe('1.2.1');
    expect(steppedPrior(layout(), -1)).toBeNull();
    const oldest = layout({ prior: { studyInstanceUid: '1.2.1', studyDate: '20200101', facility: 'Hospital B', reason: 'chosen' } });
    expect(steppedPrior(oldest, -1)).toBe('1.2.2');
    expect(steppedPrior(oldest, 1)).toBeNull();
    expect(steppedPrior(layout({ prior: null, priors: [] }), 1)).toBeNull();
  });

  it('hangs by default when a protocol other than the plain one opens on an enabled stage', () => {
    expect(hangsByDefault(layout())).toBe(true);
    expect(hangsByDefault(layout({ stage: { id: 'right', number: 4, name: 'Right breast', count: 4 } }))).toBe(false);
    expect(hangsByDefault(layout({ protocol: { id: 'none', name: 'None' } }))).toBe(false);
    const nothing = layout();
    nothing.slots = nothing.slots.map((s) => ({ ...s, empty: 'No image', sopInstanceUid: null }));
    expect(hangsByDefault(nothing)).toBe(false);
  });
});

describe('reordering on the protocols page', () => {
  it('moves one item up or down and never past either end', () => {
    expect(moved(['a', 'b', 'c'], 1, -1)).toEqual(['b', 'a', 'c']);
    expect(moved(['a', 'b', 'c'], 1, 1)).toEqual(['a', 'c', 'b']);
    expect(moved(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moved(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });
});

describe('a saved arrangement\'s protocol id', () => {
  it('is "user-" and the name in lower-case letters, digits and dashes, at most 64 characters', () => {
    expect(protocolIdOf('My MLO pairs (2 priors)')).toBe('user-my-mlo-pairs-2-priors');
    expect(protocolIdOf('  Größe ')).toBe('user-gro-e');
    expect(protocolIdOf('***')).toBe('user');
    const long = protocolIdOf('x'.repeat(100));
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^[a-z0-9][a-z0-9-]{0,63}$/);
  });
});

describe('header text on a cell', () => {
  it('is plain text, at most the limit, cut with an ellipsis', () => {
    expect(bounded('Lakeview^Imaging', 40)).toBe('Lakeview Imaging');
    expect(bounded('<b>Clinic</b>\u0007\u001b[31m', 40)).toBe('<b>Clinic</b>[31m');
    const cut = bounded('x'.repeat(100), 40);
    expect(cut).toHaveLength(40);
    expect(cut.endsWith('…')).toBe(true);
  });
});
