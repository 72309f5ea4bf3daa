import { describe, expect, it } from 'vitest';
import { nearestSlice, parallel, slicePlane, slicePosition } from '../../shared/dicom/slice-geometry.ts';
import type { SlicePlane } from '../../shared/dicom/slice-geometry.ts';
import { followingSlices, linkAnchor } from '../../shared/hanging/slice-sync.ts';
import type { SliceGroup, SyncStack } from '../../shared/hanging/slice-sync.ts';

const AXIAL = '1\\0\\0\\0\\1\\0';
const SAGITTAL = '0\\1\\0\\0\\0\\-1';

/** An axial stack as a scanner writes it: `count` slices from `first` mm (z) every `spacing` mm. */
function axialStack(frameOfReferenceUid: string | null, count: number, first: number, spacing: number, shift = 0): SyncStack {
  const planes = Array.from({ length: count }, (_, i) => slicePlane(`${-175 + shift}\\${-132 + shift}\\${first + i * spacing}`, AXIAL));
  return { frameOfReferenceUid, planes, count };
}

describe('slice geometry', () => {
  it('projects Image Position (Patient) on the normal of Image Orientation (Patient)', () => {
    const plane = slicePlane('-175.1\\-132.7\\17.27', '1\\4.897e-012\\0\\-4.897e-012\\1\\0') as SlicePlane;
    expect(plane.normal[2]).toBeCloseTo(1, 9);
    expect(slicePosition(plane)).toBeCloseTo(17.27, 6);
    const sagittal = slicePlane('12.5\\-100\\80', SAGITTAL) as SlicePlane;
    expect(sagittal.normal[0]).toBeCloseTo(-1, 9);
    expect(slicePosition(sagittal)).toBeCloseTo(-12.5, 9);
    expect(parallel(plane, sagittal)).toBe(false);
  });

  it('has no plane without both attributes, or with malformed ones', () => {
    expect(slicePlane(null, AXIAL)).toBeNull();
    expect(slicePlane('1\\2', AXIAL)).toBeNull();
    expect(slicePlane('1\\2\\3', '1\\0\\0\\1\\0\\0')).toBeNull();
    expect(slicePlane('1\\2\\x', AXIAL)).toBeNull();
  });

  it('finds the nearest parallel slice, and none in a perpendicular stack', () => {
    const stack = axialStack('1.2.3', 10, 0, 1.5);
    expect(nearestSlice(stack.planes, [0, 0, 4.4], [0, 0, 1])).toBe(3);
    expect(nearestSlice(stack.planes, [0, 0, 100], [0, 0, 1])).toBe(9);
    expect(nearestSlice(stack.planes, [0, 0, 4.4], [1, 0, 0])).toBeNull();
  });
});

describe('following slices', () => {
  const position: SliceGroup = { id: 'position', kind: 'slice-position', slots: ['current', 'current-2', 'prior'] };
  const manual: SliceGroup = { id: 'manual', kind: 'slice-manual', slots: ['current', 'prior'] };

  it('moves viewports of the same frame of reference to the same patient position, never another frame without a link', () => {
    const stacks = new Map([
      // Same frame, thinner slices starting 0.3 mm further: current slice 8 (12 mm) is nearest 12.3 mm, slice 16.
      ['current', axialStack('for-a', 40, 0, 1.5)],
      ['current-2', axialStack('for-a', 80, 0.3, 0.75)],
      ['prior', axialStack('for-b', 40, -30, 1.5)],
    ]);
    const moved = followingSlices([position, manual], stacks, new Map(), 'current', 8);
    expect([...moved]).toEqual([['current-2', 16]]);
  });

  it('keeps the reader\'s offset in mm through a link, whatever the slice spacing', () => {
    const stacks = new Map([
      ['current', axialStack('for-a', 40, 0, 1.5)],
      ['prior', axialStack('for-b', 60, -30, 1)],
    ]);
    // The reader aligned current slice 10 (15 mm) with prior slice 20 (-10 mm): offset -25 mm.
    const links = new Map([['manual', new Map([['current', linkAnchor(stacks.get('current') as SyncStack, 10)], ['prior', linkAnchor(stacks.get('prior') as SyncStack, 20)]])]]);
    expect(followingSlices([position, manual], stacks, links, 'current', 14)).toEqual(new Map([['prior', 26]]));
    // And back: prior slice 26 (-4 mm) is current 21 mm, slice 14.
    expect(followingSlices([position, manual], stacks, links, 'prior', 26)).toEqual(new Map([['current', 14]]));
  });

  it('counts images through a link when a stack has no geometry, and stops at its ends', () => {
    const bare: SyncStack = { frameOfReferenceUid: null, planes: Array.from({ length: 20 }, () => null), count: 20 };
    const stacks = new Map([['current', axialStack('for-a', 40, 0, 1.5)], ['prior', bare]]);
    const links = new Map([['manual', new Map([['current', linkAnchor(stacks.get('current') as SyncStack, 10)], ['prior', linkAnchor(bare, 4)]])]]);
    expect(followingSlices([manual], stacks, links, 'current', 13)).toEqual(new Map([['prior', 7]]));
    expect(followingSlices([manual], stacks, links, 'current', 39)).toEqual(new Map([['prior', 19]]));
  });

  it('spreads a linked move to the other viewport\'s own frame of reference by position', () => {
    const groups: SliceGroup[] = [
      { id: 'current-position', kind: 'slice-position', slots: ['current', 'current-2'] },
      { id: 'prior-position', kind: 'slice-position', slots: ['prior', 'prior-2'] },
      { id: 'manual', kind: 'slice-manual', slots: ['current', 'prior'] },
    ];
    const stacks = new Map([
      ['current', axialStack('for-a', 40, 0, 1.5)],
      ['current-2', axialStack('for-a', 40, 0, 1.5)],
      ['prior', axialStack('for-b', 40, 100, 1.5)],
      ['prior-2', axialStack('for-b', 20, 100, 2.5)],
    ]);
    const links = new Map([['manual', new Map([['current', linkAnchor(stacks.get('current') as SyncStack, 5)], ['prior', linkAnchor(stacks.get('prior') as SyncStack, 9)]])]]);
    expect(followingSlices(groups, stacks, links, 'current', 7)).toEqual(new Map([['current-2', 7], ['prior', 11], ['prior-2', 7]]));
  });
});
