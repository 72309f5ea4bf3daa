import { describe, expect, it } from 'vitest';
import { classifyMrStudy, planeOf } from '../../shared/hanging/mr-roles.ts';
import { makeStudy, mrSeries } from '../support/hanging-input.ts';

function roles(descriptions: string[]): string[] {
  const study = makeStudy('20250101', descriptions.flatMap((description, index) => mrSeries(description, index + 1)));
  return classifyMrStudy(study).map((set) => `${set.role}${set.phase ?? ''}`);
}

describe('MR series roles (b.5)', () => {
  it('recognises each role from its tokens, first rule wins', () => {
    expect(roles(['3-plane loc'])).toEqual(['localizer']);
    expect(roles(['ep2d_diff_ADC'])).toEqual(['adc']);
    expect(roles(['DWI b800'])).toEqual(['dwi']);
    expect(roles(['MIP sub 1'])).toEqual(['mip']);
    expect(roles(['T1_FL3D_SUB'])).toEqual(['subtraction1']);
    expect(roles(['Ax STIR'])).toEqual(['t2']);
    expect(roles(['t2_tse_TIRM'])).toEqual(['t2']);
    expect(roles(['T1 ax non fs'])).toEqual(['t1']);
    expect(roles(['T1 FS'])).toEqual(['other']);
    expect(roles(['T1_NON_FS'])).toEqual(['t1']);
    expect(roles(['Survey scan note'])).toEqual(['localizer']);
    expect(roles(['Calibration'])).toEqual(['other']);
  });

  it('reads DWI from the b-value and MIP and subtraction from Image Type', () => {
    const study = makeStudy('20250101', [
      ...mrSeries('ep2d', 1, { diffusionBValue: 800 }),
      ...mrSeries('series 2', 2, { imageType: ['DERIVED', 'PRIMARY', 'MIP'] }),
      ...mrSeries('series 3', 3, { imageType: ['DERIVED', 'PRIMARY', 'SUBTRACT'] }),
    ]);
    const sets = classifyMrStudy(study);
    expect(sets.map((set) => set.role)).toEqual(['dwi', 'mip', 'subtraction']);
    expect(sets[0]?.rules[0]).toBe('role: DWI (b-value 800)');
  });

  it('splits one dynamic series by temporal position: phase 0 is pre-contrast', () => {
    const instances = [1, 2, 3].flatMap((position) =>
      mrSeries('VIBRANT multiphase', 5, { temporalPositionIdentifier: position, numberOfTemporalPositions: 3 }, 1).map((instance) => ({ ...instance, seriesInstanceUid: '1.2.3.5', instanceNumber: position })));
    const sets = classifyMrStudy(makeStudy('20250101', instances));
    expect(sets.map((set) => [set.role, set.phase, set.instances.length])).toEqual([['dce', 0, 1], ['dce', 1, 1], ['dce', 2, 1]]);
    expect(sets[0]?.rules).toContain('phase 0: temporal position 1 of 3 (pre-contrast)');
    expect(sets[2]?.label).toBe('DCE post2 ax');
  });

  it('orders several same-geometry dynamic series by contrast agent and time', () => {
    const study = makeStudy('20250101', [
      ...mrSeries('dyn post 2', 8, { acquisitionTime: '101500', contrastBolusAgent: 'Gadobutrol' }),
      ...mrSeries('dyn pre', 6, { acquisitionTime: '100000' }),
      ...mrSeries('dyn post 1', 7, { acquisitionTime: '100800', contrastBolusAgent: 'Gadobutrol' }),
    ]);
    const sets = classifyMrStudy(study);
    expect(sets.map((set) => `${set.phase}:${set.instances[0]?.seriesDescription}`)).toEqual(['0:dyn pre', '1:dyn post 1', '2:dyn post 2']);
  });

  it('a fat-saturated T1 of the same geometry is the pre-contrast phase of the dynamic series; "T1 pre" without fat saturation stays T1', () => {
    const study = makeStudy('20250101', [
      ...mrSeries('T1 pre', 2, { sliceThickness: 4 }),
      ...mrSeries('T1 FS pre', 3, { acquisitionTime: '100000' }),
      ...mrSeries('T1 FS +C 1', 4, { acquisitionTime: '100800' }),
      ...mrSeries('T1 FS +C 2', 5, { acquisitionTime: '101600' }),
    ]);
    const sets = classifyMrStudy(study);
    expect(sets.map((set) => `${set.role}${set.phase ?? ''}:${set.instances[0]?.seriesDescription}`)).toEqual(['t1:T1 pre', 'dce0:T1 FS pre', 'dce1:T1 FS +C 1', 'dce2:T1 FS +C 2']);
    expect(sets[1]?.rules[0]).toBe("role: T1 fat-saturated ('FS') outside a dynamic series; same geometry as a dynamic series: a phase of it");
  });

  it('numbers post-contrast series from 1 when no pre-contrast series of their geometry exists', () => {
    const study = makeStudy('20250101', [...mrSeries('post 2', 5, { acquisitionTime: '101600' }), ...mrSeries('post 1', 4, { acquisitionTime: '100800' })]);
    expect(classifyMrStudy(study).map((set) => `${set.phase}:${set.instances[0]?.seriesDescription}`)).toEqual(['1:post 1', '2:post 2']);
  });

  it('a lone post-contrast series is phase 1; a lone unmarked one has no phase: calling it pre-contrast would be a guess', () => {
    expect(roles(['T1 +C'])).toEqual(['dce1']);
    expect(roles(['DYN'])).toEqual(['dce']);
    expect(roles(['DYN pre', 'DYN post'])).toEqual(['dce0', 'dce1']);
  });

  it('names the plane from Image Orientation (Patient)', () => {
    expect(planeOf([1, 0, 0, 0, 1, 0])?.plane).toBe('axial');
    expect(planeOf([0, 1, 0, 0, 0, -1])?.plane).toBe('sagittal');
    expect(planeOf([1, 0, 0, 0, 0, -1])?.plane).toBe('coronal');
    expect(planeOf([0.7071, 0.7071, 0, 0, 0, -1])?.plane).toBe('oblique');
    expect(planeOf(null)).toBeNull();
    const sagittal = classifyMrStudy(makeStudy('20250101', mrSeries('T2 sag', 1, { imageOrientationPatient: [0, 1, 0, 0, 0, -1] })))[0];
    expect(sagittal?.label).toBe('T2 sag');
    expect(sagittal?.rules.at(-1)).toMatch(/^plane: Image Orientation \(Patient\) normal .* = sagittal$/);
  });
});
