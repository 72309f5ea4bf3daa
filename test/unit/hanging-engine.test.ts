import { describe, expect, it } from 'vitest';
import { resolveHanging } from '../../shared/hanging/engine.ts';
import { resolvedLayoutSchema, type ResolvedLayout } from '../../shared/hanging/layout.ts';
import { FACTORY_PROTOCOLS } from '../../shared/hanging/protocols/index.ts';
import { DEFAULT_HANGING_PREFERENCES, protocolSchema, type HangingPreferences } from '../../shared/hanging/protocol.ts';
import type { HangingInput } from '../../shared/hanging/model.ts';
import { makeInstance, makeStudy, mammogram, mrSeries, screeningViews, viewCode } from '../support/hanging-input.ts';

function hang(input: HangingInput, request: Parameters<typeof resolveHanging>[2] = {}, preferences: Partial<HangingPreferences> = {}): ResolvedLayout {
  const layout = resolveHanging(input, FACTORY_PROTOCOLS, request, { ...DEFAULT_HANGING_PREFERENCES, ...preferences });
  // Whatever the engine returns must satisfy the published layout schema.
  return resolvedLayoutSchema.parse(layout);
}

function cells(layout: ResolvedLayout): string[] {
  return layout.slots.map((slot) => `${slot.role === 'prior' ? 'P' : 'C'}-${slot.empty ?? slot.label}`);
}

const current = makeStudy('20250610', screeningViews(), { facility: 'Here' });
const prior = makeStudy('20240515', screeningViews({ patientOrientation: '' }), { facility: 'Elsewhere' });
// The prior was stored mirrored: every image needs the opposite horizontal direction.
for (const instance of prior.instances) {
  instance.patientOrientation = instance.imageLaterality === 'R' ? (instance.viewPosition === 'CC' ? 'A\\L' : 'A\\F') : instance.viewPosition === 'CC' ? 'P\\R' : 'P\\F';
}
const pair: HangingInput = { current, others: [prior] };

describe('hanging engine: mammography overview', () => {
  it('hangs a full screening pair in the b.4 order, prior row on top, chest walls at each pair seam', () => {
    const layout = hang(pair);
    expect(layout.protocol.id).toBe('mg-second-opinion');
    expect(layout.stage).toMatchObject({ id: 'overview', number: 1 });
    expect(layout.grid).toEqual({ rows: 2, columns: 4 });
    expect(cells(layout)).toEqual(['P-RMLO', 'P-LMLO', 'P-RCC', 'P-LCC', 'C-RMLO', 'C-LMLO', 'C-RCC', 'C-LCC']);
    expect(layout.slots.map((slot) => slot.slot)).toEqual(['vp-0', 'vp-1', 'vp-2', 'vp-3', 'vp-4', 'vp-5', 'vp-6', 'vp-7']);
    expect(layout.slots.map((slot) => slot.justification.horizontal)).toEqual(['right', 'left', 'right', 'left', 'right', 'left', 'right', 'left']);
    expect(layout.slots.every((slot) => slot.justification.vertical === 'top')).toBe(true);
    // Current images are stored as wanted; the prior's were mirrored.
    expect(layout.slots.slice(4).map((slot) => slot.flipHorizontal)).toEqual([false, false, false, false]);
    expect(layout.slots.slice(0, 4).map((slot) => slot.flipHorizontal)).toEqual([true, true, true, true]);
    expect(layout.slots[0]?.studyDate).toBe('20240515');
    expect(layout.slots[0]?.facility).toBe('Elsewhere');
    expect(layout.prior?.studyInstanceUid).toBe(prior.studyInstanceUid);
    expect(layout.prior?.reason).toMatch(/at least 9 months older/);
    expect(layout.slots[6]?.rules).toContain('laterality: Image Laterality (0020,0062) = R');
    expect(layout.slots[6]?.rules).toContain('view: View Code Sequence SCT 399162004 (cranio-caudal)');
    // Same size: Imager Pixel Spacing 0.1 mm ÷ magnification 1.08.
    expect(layout.slots[6]?.scaling).toBe('same-size');
    expect(layout.slots[6]?.mmPerPixel?.[0]).toBeCloseTo(0.1 / 1.08, 6);
    expect(layout.slots[6]?.calibrationKind).toBe('magnification-corrected');
    expect(layout.stages.find((stage) => stage.id === 'overview')?.status).toBe('enabled');
  });

  it('applies the reader preferences: CC pairs first, prior row at the bottom', () => {
    expect(cells(hang(pair, {}, { mammoOverviewOrder: 'cc-first' }))).toEqual(['P-RCC', 'P-LCC', 'P-RMLO', 'P-LMLO', 'C-RCC', 'C-LCC', 'C-RMLO', 'C-LMLO']);
    const bottom = hang(pair, {}, { priorRow: 'bottom', mammoOverviewOrder: 'cc-first' });
    expect(cells(bottom)).toEqual(['C-RCC', 'C-LCC', 'C-RMLO', 'C-LMLO', 'P-RCC', 'P-LCC', 'P-RMLO', 'P-LMLO']);
    expect(bottom.slots[0]?.slot).toBe('vp-0');
    expect(bottom.slots[4]?.row).toBe(1);
  });

  it('leaves a labelled empty cell for a missing view instead of moving the others', () => {
    const withoutLcc = makeStudy('20250610', screeningViews().filter((instance) => !(instance.imageLaterality === 'L' && instance.viewPosition === 'CC')));
    const priorWithoutRmlo = makeStudy('20240515', screeningViews().filter((instance) => !(instance.imageLaterality === 'R' && instance.viewPosition === 'MLO')));
    const layout = hang({ current: withoutLcc, others: [priorWithoutRmlo] });
    expect(cells(layout)).toEqual(['P-No prior RMLO', 'P-LMLO', 'P-RCC', 'P-LCC', 'C-RMLO', 'C-LMLO', 'C-RCC', 'C-No LCC']);
    expect(layout.slots[7]?.sopInstanceUid).toBeNull();
  });

  it('without a prior: overview passive, comparisons disabled, and the current 4-up opens', () => {
    const layout = hang({ current, others: [] });
    expect(layout.prior).toBeNull();
    expect(layout.stages.find((stage) => stage.id === 'overview')?.status).toBe('passive');
    expect(layout.stages.find((stage) => stage.id === 'cc-comparison')?.status).toBe('disabled');
    expect(layout.stage.id).toBe('current-4-up');
    expect(cells(layout)).toEqual(['C-RCC', 'C-LCC', 'C-RMLO', 'C-LMLO']);
    const overview = hang({ current, others: [] }, { stage: 1 });
    expect(cells(overview).slice(0, 4)).toEqual(['P-No prior RMLO', 'P-No prior LMLO', 'P-No prior RCC', 'P-No prior LCC']);
  });

  it('starts each step of the 1:1 sweep at its third of the image: top, centre, bottom, at actual pixels', () => {
    for (const [id, vertical] of [['sweep-cc-top', 'top'], ['sweep-cc-center', 'center'], ['sweep-cc-bottom', 'bottom']] as const) {
      const number = hang(pair).stages.find((stage) => stage.id === id)?.number;
      const layout = hang(pair, { stage: number });
      expect(layout.stage.id).toBe(id);
      expect(layout.slots.map((slot) => [slot.label, slot.scaling, slot.justification.horizontal, slot.justification.vertical])).toEqual([
        ['RCC', 'actual-pixels', 'right', vertical],
        ['LCC', 'actual-pixels', 'left', vertical],
      ]);
    }
  });

  it('follows the reader stage order', () => {
    const layout = hang(pair, { stage: 1 }, { stageOrder: { 'mg-second-opinion': ['mlo-comparison', 'no-such-stage', 'overview'] } });
    expect(layout.stage.id).toBe('mlo-comparison');
    expect(layout.stages.slice(0, 3).map((stage) => stage.id)).toEqual(['mlo-comparison', 'overview', 'current-4-up']);
    expect(cells(layout)).toEqual(['P-RMLO', 'P-LMLO', 'C-RMLO', 'C-LMLO']);
    expect(layout.syncGroups.find((group) => group.id === 'current-pair')?.mirrorHorizontalPan).toBe(true);
    expect(layout.slots[2]?.syncGroups).toEqual(['right-current-prior', 'current-pair']);
  });
});

describe('hanging engine: which image fills a cell', () => {
  it('prefers no modifier, then no partial view, then the latest acquisition, and lists the rest as alternatives', () => {
    const first = mammogram('R', 'CC', { acquisitionTime: '090000' });
    const repeat = mammogram('R', 'CC', { acquisitionTime: '091500' });
    const partial = mammogram('R', 'CC', { acquisitionTime: '092000', partialView: 'YES' });
    const spot = mammogram('R', 'CC', { acquisitionTime: '093000', viewCodes: [viewCode('399162004', 'SCT', 'cranio-caudal', [viewCode('R-102D7', 'SRT')])] });
    const study = makeStudy('20250610', [first, repeat, partial, spot, ...screeningViews().filter((instance) => instance.imageLaterality === 'L')]);
    const layout = hang({ current: study, others: [] }, { stage: 2 });
    const rcc = layout.slots[0];
    expect(rcc?.sopInstanceUid).toBe(repeat.sopInstanceUid);
    expect(rcc?.alternatives).toEqual([first.sopInstanceUid, partial.sopInstanceUid]);
    // The spot view is an additional view, hung beside its standard view in the additional-views stage.
    const additional = hang({ current: study, others: [] }, { protocolId: 'mg-second-opinion', stage: 13 });
    expect(additional.stage.id).toBe('additional-views');
    expect(cells(additional)).toEqual(['C-RCC', 'C-RCC S']);
    expect(additional.slots[1]?.sopInstanceUid).toBe(spot.sopInstanceUid);
  });

  it('uses an image once per stage: a second cell asking for the same view takes the repeat', () => {
    const first = mammogram('R', 'CC', { acquisitionTime: '090000' });
    const repeat = mammogram('R', 'CC', { acquisitionTime: '091500' });
    const rcc = { selector: { study: 'current' as const, laterality: 'R' as const, view: 'CC' as const }, display: { orientation: 'mammo-target' as const, justification: 'chest-wall' as const, scaling: 'fit' as const }, syncGroups: [] };
    const repeats = protocolSchema.parse({
      id: 'repeats', name: 'Repeats', description: '', level: 'user', displaySets: 'instance', activation: [], priors: { referenced: 0, rule: 'default' },
      stages: [{ id: 'both', name: 'Both', grid: { rows: 1, columns: 3 }, slots: [rcc, rcc, rcc], minSlotsMatched: 1, syncGroups: [] }],
    });
    const layout = resolveHanging({ current: makeStudy('20250610', [first, repeat]), others: [] }, [repeats], {}, DEFAULT_HANGING_PREFERENCES);
    expect(layout.slots.map((slot) => slot.sopInstanceUid)).toEqual([repeat.sopInstanceUid, first.sopInstanceUid, null]);
    expect(layout.slots[2]?.empty).toBe('No RCC');
  });

  it('uses a For Processing image only when no For Presentation image of the view exists, with a warning', () => {
    const processingRcc = mammogram('R', 'CC', { presentationIntentType: 'FOR PROCESSING', sopClassUid: '1.2.840.10008.5.1.4.1.1.1.2.1' });
    const processingLcc = mammogram('L', 'CC', { presentationIntentType: 'FOR PROCESSING', sopClassUid: '1.2.840.10008.5.1.4.1.1.1.2.1' });
    const study = makeStudy('20250610', [...screeningViews().filter((instance) => instance.viewPosition !== 'CC' || instance.imageLaterality === 'L'), processingRcc, processingLcc]);
    const layout = hang({ current: study, others: [] }, { stage: 2 });
    expect(layout.slots[0]?.sopInstanceUid).toBe(processingRcc.sopInstanceUid);
    expect(layout.slots[0]?.warnings).toContain('For Processing image: no For Presentation image of this view');
    expect(layout.slots[1]?.sopInstanceUid).not.toBe(processingLcc.sopInstanceUid);
    expect(layout.slots[1]?.warnings).toEqual([]);
    // The unused raw image is not lost: it is listed with why it is not hung.
    expect(layout.additional).toEqual([expect.objectContaining({ sopInstanceUid: processingLcc.sopInstanceUid, reason: expect.stringMatching(/^For Processing image: not for reading/) })]);
  });

  it('keeps tomosynthesis and projection sets out of 2D stages and hangs them in the tomosynthesis stage', () => {
    const stack = mammogram('L', 'MLO', { sopClassUid: '1.2.840.10008.5.1.4.1.1.13.1.3', numberOfFrames: 60, patientOrientation: '', imageOrientationPatient: [0, -1, 0, 0, 0, -1] });
    const projections = mammogram('L', 'MLO', { sopClassUid: '1.2.840.10008.5.1.4.1.1.13.1.4', numberOfFrames: 15 });
    const unknownSideStack = makeInstance({ sopClassUid: '1.2.840.10008.5.1.4.1.1.13.1.3', numberOfFrames: 40, viewPosition: 'CC' });
    const study = makeStudy('20250610', [...screeningViews(), stack, projections, unknownSideStack]);
    const layout = hang({ current: study, others: [] }, { stage: 2 });
    expect(layout.slots.map((slot) => slot.sopInstanceUid)).not.toContain(stack.sopInstanceUid);
    expect(layout.additional.map((entry) => [entry.sopInstanceUid, entry.reason.split(':')[0]])).toEqual([
      [stack.sopInstanceUid, 'tomosynthesis stack'],
      [projections.sopInstanceUid, 'tomosynthesis projection set'],
      [unknownSideStack.sopInstanceUid, 'tomosynthesis stack'],
    ]);
    const tomo = hang({ current: study, others: [] }, { stage: 14 });
    expect(tomo.stage.id).toBe('tomosynthesis');
    expect(tomo.stages.find((stage) => stage.id === 'tomosynthesis')?.status).toBe('enabled');
    expect(cells(tomo)).toEqual(['C-LMLO', 'C-LMLO']);
    expect(tomo.slots[1]?.sopInstanceUid).toBe(stack.sopInstanceUid);
    expect(tomo.slots.map((slot) => slot.sopInstanceUid)).not.toContain(unknownSideStack.sopInstanceUid);
    // Shown here, so no longer listed as left out; the unknown-side stack still is.
    expect(tomo.additional.map((entry) => entry.sopInstanceUid)).toEqual([projections.sopInstanceUid, unknownSideStack.sopInstanceUid]);
    expect(tomo.slots[1]?.rules.at(-2)).toMatch(/^orientation: Image Orientation \(Patient\)/);
  });

  it('never puts an image of the other or an unknown side in a side-specific cell', () => {
    const unknownSide = makeInstance({ viewPosition: 'CC', patientOrientation: 'P\\L' });
    const study = makeStudy('20250610', [mammogram('L', 'CC'), mammogram('L', 'MLO'), mammogram('R', 'MLO'), unknownSide]);
    const layout = hang({ current: study, others: [] }, { stage: 2 });
    expect(cells(layout)).toEqual(['C-No RCC', 'C-LCC', 'C-RMLO', 'C-LMLO']);
    expect(layout.additional).toEqual([expect.objectContaining({ sopInstanceUid: unknownSide.sopInstanceUid, reason: 'laterality unknown: never hung in a side-specific cell' })]);
  });

  it('lists what a mammography stage does not hang: an ultrasound image, a structured report', () => {
    const ultrasound = makeInstance({ modality: 'US', sopClassUid: '1.2.840.10008.5.1.4.1.1.6.1', seriesDescription: 'Breast US' });
    const report = makeInstance({ modality: 'SR', sopClassUid: '1.2.840.10008.5.1.4.1.1.88.11', seriesDescription: 'Report' });
    const layout = hang({ current: makeStudy('20250610', [...screeningViews(), ultrasound, report]), others: [] });
    expect(layout.additional.map((entry) => [entry.label, entry.reason])).toEqual([
      ['Breast US', 'not a mammogram (modality US)'],
      ['Report', 'structured report: not an image'],
    ]);
  });

  it('hangs an outside CD without codes from its text, marking what was inferred', () => {
    const text = (laterality: 'R' | 'L', view: 'CC' | 'MLO'): ReturnType<typeof makeInstance> =>
      makeInstance({ seriesDescription: `${laterality} ${view}`, pixelHint: { chestWallSide: 'left', confidence: 0.8, method: 'edge-bands-v2' } });
    const study = makeStudy('20250610', [text('R', 'CC'), text('L', 'CC'), text('R', 'MLO'), text('L', 'MLO')]);
    const layout = hang({ current: study, others: [] });
    expect(cells(layout)).toEqual(['C-RCC', 'C-LCC', 'C-RMLO', 'C-LMLO']);
    expect(layout.slots[0]?.inferred).toEqual(['laterality from series description', 'view from text', 'orientation from the image']);
    expect(layout.slots.map((slot) => slot.flipHorizontal)).toEqual([true, false, true, false]);
  });
});

describe('hanging engine: protocol choice', () => {
  const mrCurrent = makeStudy('20250610', [...mrSeries('T2 ax', 1), ...mrSeries('dyn pre', 2, { acquisitionTime: '100000' }), ...mrSeries('dyn post', 3, { acquisitionTime: '100800', contrastBolusAgent: 'Gd' }), ...mrSeries('SUB 1', 4), ...mrSeries('MIP', 5), ...mrSeries('loc', 6)]);
  const mrPrior = makeStudy('20240601', [...mrSeries('T2 ax', 1), ...mrSeries('SUB 1', 4), ...mrSeries('MIP', 5)]);

  it('chooses the mammography protocol for mammograms and the breast MR protocol for a breast MR', () => {
    expect(hang(pair).candidates.map((candidate) => candidate.id)).toEqual(['mg-second-opinion']);
    const mr = hang({ current: mrCurrent, others: [mrPrior] });
    expect(mr.protocol.id).toBe('mr-breast-comparison');
    expect(mr.candidates.map((candidate) => candidate.id)).toEqual(['mr-breast-comparison', 'mr-comparison']);
    expect(cells(mr)).toEqual(['C-MIP ax', 'C-T2 ax', 'C-No T1', 'C-DCE pre ax', 'C-DCE post1 ax', 'C-Sub 1 ax']);
    expect(mr.additional).toEqual(expect.arrayContaining([expect.objectContaining({ reason: 'localizer: not hung' })]));
    const subtraction = hang({ current: mrCurrent, others: [mrPrior] }, { stage: 2 });
    expect(cells(subtraction)).toEqual(['C-MIP ax', 'P-MIP ax', 'C-Sub 1 ax', 'P-Sub 1 ax']);
    expect(subtraction.slots[1]?.studyInstanceUid).toBe(mrPrior.studyInstanceUid);
  });

  it('compares like with like: the prior series of the plane already shown, and a warning when only another plane exists', () => {
    const sagittal = { imageOrientationPatient: [0, 1, 0, 0, 0, -1] };
    const priorBoth = makeStudy('20240601', [...mrSeries('T2 sag', 1, sagittal), ...mrSeries('T2 ax', 2), ...mrSeries('SUB 1', 4), ...mrSeries('MIP', 5)]);
    const t2 = hang({ current: mrCurrent, others: [priorBoth] }, { stage: 3 });
    expect(cells(t2).slice(0, 2)).toEqual(['C-T2 ax', 'P-T2 ax']);
    expect(t2.slots[1]?.warnings).toEqual([]);
    const priorSagittalOnly = makeStudy('20240601', [...mrSeries('T2 sag', 1, sagittal), ...mrSeries('SUB 1', 4), ...mrSeries('MIP', 5)]);
    const flagged = hang({ current: mrCurrent, others: [priorSagittalOnly] }, { stage: 3 });
    expect(cells(flagged).slice(0, 2)).toEqual(['C-T2 ax', 'P-T2 sag']);
    expect(flagged.slots[1]?.warnings).toEqual(['Plane differs from the axial T2 beside it (sagittal)']);
  });

  it('chooses the generic MR comparison for a knee and pairs series by role and plane', () => {
    const knee = (date: string): ReturnType<typeof makeStudy> =>
      makeStudy(date, [...mrSeries('PD FS sag', 1, { bodyPartExamined: 'KNEE', imageOrientationPatient: [0, 1, 0, 0, 0, -1] }), ...mrSeries('T2 cor', 2, { bodyPartExamined: 'KNEE', imageOrientationPatient: [1, 0, 0, 0, 0, -1] })]);
    const layout = hang({ current: knee('20250610'), others: [knee('20240101')] });
    expect(layout.protocol.id).toBe('mr-comparison');
    expect(layout.grid).toEqual({ rows: 2, columns: 2 });
    expect(cells(layout)).toEqual(['C-Other sag', 'P-Other sag', 'C-T2 cor', 'P-T2 cor']);
    expect(layout.syncGroups.map((group) => `${group.id}:${group.kind}`)).toEqual(['current-slices:slice-position', 'prior-slices:slice-position', 'zoom:zoom-pan', 'pair-1:slice-manual', 'pair-2:slice-manual']);
  });

  it('still hangs a one-view mammogram whose body part says breast with the mammography protocol', () => {
    const single = makeStudy('20250610', [mammogram('L', 'MLO')]);
    const layout = hang({ current: single, others: [] });
    expect(layout.protocol.id).toBe('mg-second-opinion');
    expect(layout.candidates).toEqual([]);
    expect(layout.warnings[0]).toMatch(/No protocol's required rules match this study; MG – second opinion is the closest/);
    expect(layout.stage.id).toBe('overview');
    expect(cells(layout).filter((cell) => !cell.includes('No '))).toEqual(['C-LMLO']);
  });

  it('lets the reader force a protocol and says when it does not fit', () => {
    const forced = hang(pair, { protocolId: 'mr-comparison' });
    expect(forced.protocol.id).toBe('mr-comparison');
    expect(forced.warnings[0]).toMatch(/chosen by the reader although its required rules do not match/);
  });

  it('says so when the requested protocol or stage does not exist', () => {
    const unknown = hang(pair, { protocolId: 'no-such-protocol', stage: 16 });
    expect(unknown.protocol.id).toBe('mg-second-opinion');
    expect(unknown.stage.number).toBe(14);
    expect(unknown.warnings).toEqual(['No protocol with id no-such-protocol; the best matching one is used.', 'Stage 16 does not exist; stage 14 is shown.']);
  });

  it('uses the requested prior and prior rule', () => {
    const older = makeStudy('20230301', screeningViews());
    const input = { current, others: [prior, older] };
    expect(hang(input, { priorStudyInstanceUid: older.studyInstanceUid }).prior?.studyInstanceUid).toBe(older.studyInstanceUid);
    expect(hang(input, { priorRule: 'two-years' }).prior?.studyDate).toBe('20230301');
    expect(hang(input).prior?.studyDate).toBe('20240515');
    expect(hang(input).priors.map((candidate) => candidate.studyDate)).toEqual(['20240515', '20230301']);
  });
});

describe('factory protocols', () => {
  it('are valid protocol definitions', () => {
    for (const protocol of FACTORY_PROTOCOLS) {
      expect(() => protocolSchema.parse(protocol), protocol.id).not.toThrow();
    }
    expect(FACTORY_PROTOCOLS.map((protocol) => protocol.id)).toEqual(['mg-second-opinion', 'mr-breast-comparison', 'mr-comparison']);
  });
});
