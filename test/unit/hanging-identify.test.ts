import { describe, expect, it } from 'vitest';
import { identifyMammo, isStandardView, mammoLabel } from '../../shared/hanging/mammo-identify.ts';
import { makeInstance, mammogram, viewCode } from '../support/hanging-input.ts';

describe('mammogram identification: breast image and kind', () => {
  it('takes MG, breast DX/CR, mammography SOP classes and digitised film with breast hints; rejects a chest DX', () => {
    expect(identifyMammo(makeInstance()).rules[0]).toBe('breast image: Modality MG');
    expect(identifyMammo(makeInstance({ modality: 'DX', sopClassUid: '1.2.840.10008.5.1.4.1.1.1.1' })).breastImage).toBe(true);
    expect(identifyMammo(makeInstance({ modality: 'CR', bodyPartExamined: 'CHEST', sopClassUid: '1.2.840.10008.5.1.4.1.1.1' })).breastImage).toBe(false);
    expect(identifyMammo(makeInstance({ modality: 'OT', bodyPartExamined: '', sopClassUid: '1.2.840.10008.5.1.4.1.1.13.1.3' })).rules[0]).toMatch(/mammography SOP class/);
    const film = identifyMammo(makeInstance({ modality: 'SC', bodyPartExamined: '', sopClassUid: '1.2.840.10008.5.1.4.1.1.7', seriesDescription: 'Scanned film RCC' }));
    expect(film.breastImage).toBe(true);
    expect(film.rules[0]).toContain("breast hint 'RCC'");
    expect(identifyMammo(makeInstance({ modality: 'SC', bodyPartExamined: '', sopClassUid: '1.2.840.10008.5.1.4.1.1.7', seriesDescription: 'Requisition' })).breastImage).toBe(false);
  });

  it('tells 2D, For Processing, synthesized 2D, tomosynthesis and projection sets apart', () => {
    expect(identifyMammo(makeInstance()).kind).toBe('2d');
    expect(identifyMammo(makeInstance({ presentationIntentType: 'FOR PROCESSING' })).kind).toBe('for-processing');
    expect(identifyMammo(makeInstance({ sopClassUid: '1.2.840.10008.5.1.4.1.1.1.2.1', presentationIntentType: '' })).kind).toBe('for-processing');
    expect(identifyMammo(makeInstance({ imageType: ['DERIVED', 'PRIMARY', 'GENERATED_2D'] })).kind).toBe('synthesized-2d');
    expect(identifyMammo(makeInstance({ sopClassUid: '1.2.840.10008.5.1.4.1.1.13.1.3', numberOfFrames: 60 })).kind).toBe('tomosynthesis');
    expect(identifyMammo(makeInstance({ sopClassUid: '1.2.840.10008.5.1.4.1.1.13.1.4', numberOfFrames: 15 })).kind).toBe('projection-set');
    expect(identifyMammo(makeInstance({ sopClassUid: '1.2.840.10008.5.1.4.1.1.7', numberOfFrames: 15 })).kind).toBe('projection-set');
    expect(identifyMammo(makeInstance({ imageType: ['ORIGINAL', 'PRIMARY', 'TOMO_PROJ'], seriesDescription: 'L CC Tomo PROJECTION', numberOfFrames: 15 })).kind).toBe('projection-set');
    expect(identifyMammo(makeInstance({ imageType: ['DERIVED', 'PRIMARY', 'TOMOSYNTHESIS'], numberOfFrames: 50, sopClassUid: '1.2.840.10008.5.1.4.1.1.7.4' })).kind).toBe('tomosynthesis');
    expect(identifyMammo(makeInstance({ imageType: ['ORIGINAL', 'PRIMARY', 'TOMO_PROJ'], numberOfFrames: 15 })).kind).toBe('projection-set');
    // A synthesized view generated from a tomosynthesis acquisition is a single frame: 2D for reading.
    expect(identifyMammo(makeInstance({ imageType: ['DERIVED', 'PRIMARY', 'TOMOSYNTHESIS', 'GENERATED_2D'] })).kind).toBe('synthesized-2d');
  });
});

describe('mammogram identification: laterality chain', () => {
  it('reads Image Laterality first, then Frame Laterality, then series Laterality (inferred), then text (inferred)', () => {
    const image = identifyMammo(makeInstance({ imageLaterality: 'R', frameLaterality: 'L', seriesLaterality: 'L' }));
    expect(image.laterality).toBe('R');
    expect(image.rules).toContain('laterality: Image Laterality (0020,0062) = R');
    expect(image.inferred).toEqual([]);

    const frame = identifyMammo(makeInstance({ frameLaterality: 'L', seriesLaterality: 'R' }));
    expect(frame.laterality).toBe('L');
    expect(frame.inferred).toEqual([]);

    const series = identifyMammo(makeInstance({ seriesLaterality: 'L' }));
    expect(series.laterality).toBe('L');
    expect(series.inferred).toContain('laterality from series Laterality');

    for (const [text, side] of [['R CC', 'R'], ['RCC', 'R'], ['L-MLO', 'L'], ['LMLO', 'L'], ['RIGHT CC', 'R'], ['Lt mlo', 'L']] as const) {
      const fromText = identifyMammo(makeInstance({ seriesDescription: text }));
      expect(fromText.laterality, text).toBe(side);
      expect(fromText.inferred).toContain('laterality from series description');
    }
    expect(identifyMammo(makeInstance({ protocolName: 'LEFT MLO' })).rules).toContain("laterality: protocol name text 'LEFT MLO' = L");
  });

  it('leaves laterality unknown rather than guessing from unrelated words', () => {
    const unknown = identifyMammo(makeInstance({ seriesDescription: 'BILATERAL SCREENING' }));
    expect(unknown.laterality).toBeNull();
    expect(unknown.rules).toContain('laterality: unknown');
  });
});

describe('mammogram identification: view chain and modifiers', () => {
  it('reads every CID 4014 view in both SNOMED CT and legacy SNOMED-RT codes', () => {
    const pairs: [string, string, string][] = [
      ['399260004', 'R-10224', 'ML'], ['399368009', 'R-10226', 'MLO'], ['399352003', 'R-10228', 'LM'],
      ['399099002', 'R-10230', 'LMO'], ['399162004', 'R-10242', 'CC'], ['399196006', 'R-10244', 'FB'],
      ['399188001', 'R-102D0', 'SIO'], ['399192008', 'R-1024A', 'XCCL'], ['399101009', 'R-1024B', 'XCCM'],
      ['441555000', 'R-40AAA', 'OTHER'],
    ];
    for (const [sct, srt, view] of pairs) {
      expect(identifyMammo(makeInstance({ viewCodes: [viewCode(sct, 'SCT')] })).view, sct).toBe(view);
      expect(identifyMammo(makeInstance({ viewCodes: [viewCode(srt, 'SRT')] })).view, srt).toBe(view);
    }
    expect(identifyMammo(makeInstance({ viewCodes: [viewCode('R-10226', 'SNM3')] })).view).toBe('MLO');
    expect(identifyMammo(makeInstance({ viewCodes: [viewCode('399162004', 'SCT')] })).rules).toContain('view: View Code Sequence SCT 399162004 (cranio-caudal)');
  });

  it('ignores a code from an unknown scheme and falls back to View Position, then text', () => {
    const position = identifyMammo(makeInstance({ viewCodes: [viewCode('399162004', '99LOCAL')], viewPosition: 'MLO' }));
    expect(position.view).toBe('MLO');
    expect(position.rules).toContain('view: View Position (0018,5101) = MLO');
    expect(position.inferred).toEqual([]);
    const text = identifyMammo(makeInstance({ seriesDescription: 'R CC' }));
    expect(text.view).toBe('CC');
    expect(text.rules).toContain("view: series description text 'R CC'");
    expect(text.inferred).toContain('view from text');
    expect(identifyMammo(makeInstance({ seriesDescription: 'RXCCL' })).view).toBe('XCCL');
  });

  it('reads CID 4015 modifiers in both schemes, Partial View, and text modifiers; modifiers make a view additional', () => {
    const modifiers: [string, string, string][] = [
      ['399055006', 'R-102D7', 'spot'], ['399163009', 'R-102D6', 'magnification'], ['399209000', 'R-102D5', 'implant-displaced'],
      ['399197002', 'R-102D3', 'rolled'], ['399110001', 'R-102C2', 'tangential'], ['399161006', 'R-102D2', 'cleavage'],
      ['399011000', 'R-102D1', 'axillary-tail'], ['442581004', 'R-40AB3', 'nipple-in-profile'],
    ];
    for (const [sct, srt, modifier] of modifiers) {
      for (const [code, scheme] of [[sct, 'SCT'], [srt, 'SRT']] as const) {
        const identity = identifyMammo(mammogram('R', 'CC', { viewCodes: [viewCode('399162004', 'SCT', 'cranio-caudal', [viewCode(code, scheme)])] }));
        expect(identity.modifiers, `${scheme} ${code}`).toEqual([modifier]);
        expect(isStandardView(identity)).toBe(false);
      }
    }
    const partial = identifyMammo(mammogram('L', 'MLO', { partialView: 'YES' }));
    expect(partial.modifiers).toEqual(['partial-view']);
    expect(isStandardView(partial)).toBe(true);
    const text = identifyMammo(makeInstance({ seriesDescription: 'R CC SPOT' }));
    expect(text.modifiers).toEqual(['spot']);
    expect(text.inferred).toContain('modifier from text');
    expect(isStandardView(identifyMammo(mammogram('R', 'CC')))).toBe(true);
    expect(isStandardView(identifyMammo(makeInstance({ imageLaterality: 'R', viewPosition: 'XCCL' })))).toBe(false);
  });

  it('labels views as readers say them', () => {
    expect(mammoLabel('L', 'MLO', ['implant-displaced'])).toBe('LMLO ID');
    expect(mammoLabel('R', 'CC', ['magnification', 'spot'])).toBe('RCC M S');
    expect(mammoLabel('R', 'XCCL', [])).toBe('RXCCL');
  });
});
