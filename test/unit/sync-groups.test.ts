import { describe, expect, it } from 'vitest';
import { resolvedSlotSchema } from '../../shared/hanging/layout.ts';
import type { ResolvedSlot } from '../../shared/hanging/layout.ts';
import { syncConfigOf } from '../../shared/hanging/sync-groups.ts';

/** A slot of the MR stage "current vs prior T2 + post1", checked against the layout schema. */
function slot(name: string, role: 'current' | 'prior', seriesRole: 't2' | 'dce', syncGroups: string[], empty: string | null = null): ResolvedSlot {
  return resolvedSlotSchema.parse({
    slot: name, row: 0, column: 0, role, priorNumber: role === 'prior' ? 1 : null,
    studyInstanceUid: empty ? null : `1.2.${name.length}`, seriesInstanceUid: null, sopInstanceUid: null,
    studyDate: '20261021', facility: 'Northside', label: `${role} ${seriesRole}`, laterality: 'B', view: null, modifiers: [],
    seriesRole, phase: seriesRole === 'dce' ? 1 : null, flipHorizontal: false, flipVertical: false, rotation: 0,
    justification: { horizontal: 'center', vertical: 'center' }, scaling: 'fit', mmPerPixel: null, calibrationKind: null,
    syncGroups, inferred: [], rules: [], warnings: [], empty, alternatives: [],
  });
}

describe('sync configuration of a resolved layout', () => {
  it('lists each group with the shown viewports that name it, and each viewport\'s role and laterality', () => {
    const slots = [
      slot('vp-0', 'current', 't2', ['current-slices', 'link', 'zoom', 'window']),
      slot('vp-1', 'prior', 't2', ['prior-slices', 'link', 'zoom', 'window']),
      slot('vp-2', 'current', 'dce', ['current-slices', 'link', 'zoom', 'window']),
      slot('vp-3', 'prior', 'dce', ['prior-slices', 'link', 'zoom', 'window'], 'No prior post1'),
    ];
    const { groups, info } = syncConfigOf({
      slots,
      syncGroups: [
        { id: 'current-slices', kind: 'slice-position' },
        { id: 'prior-slices', kind: 'slice-position' },
        { id: 'link', kind: 'slice-manual' },
        { id: 'zoom', kind: 'zoom-pan', mirrorHorizontalPan: false },
        { id: 'window', kind: 'voi' },
      ],
    });
    expect(groups).toEqual([
      { id: 'current-slices', kind: 'slice-position', slots: ['vp-0', 'vp-2'] },
      { id: 'prior-slices', kind: 'slice-position', slots: ['vp-1'] },
      { id: 'link', kind: 'slice-manual', slots: ['vp-0', 'vp-1', 'vp-2'] },
      { id: 'zoom', kind: 'zoom-pan', mirrorHorizontalPan: false, slots: ['vp-0', 'vp-1', 'vp-2'] },
      { id: 'window', kind: 'voi', slots: ['vp-0', 'vp-1', 'vp-2'] },
    ]);
    expect(info).toEqual({
      'vp-0': { seriesRole: 't2', laterality: 'B' },
      'vp-1': { seriesRole: 't2', laterality: 'B' },
      'vp-2': { seriesRole: 'dce', laterality: 'B' },
    });
  });
});
