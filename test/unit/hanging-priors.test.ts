import { describe, expect, it } from 'vitest';
import { choosePrior, priorCandidates, studyDay } from '../../shared/hanging/priors.ts';
import { makeInstance, makeStudy, mrSeries, screeningViews } from '../support/hanging-input.ts';

const current = makeStudy('20250610', screeningViews());
const mg = (date: string): ReturnType<typeof makeStudy> => makeStudy(date, screeningViews(), { studyDescription: `MG ${date}` });

function chosenDate(others: ReturnType<typeof makeStudy>[], rule: Parameters<typeof choosePrior>[2], requested?: string): string | null {
  const candidates = priorCandidates(current, others, { kind: 'mammo' });
  return choosePrior(current, candidates, rule, requested).chosen?.study.studyDate ?? null;
}

describe('prior candidates', () => {
  it('keeps earlier comparable studies, newest first, undated last; drops later and other-modality studies', () => {
    const later = mg('20251201');
    const chest = makeStudy('20240101', [makeInstance({ modality: 'CR', bodyPartExamined: 'CHEST', sopClassUid: '1.2.840.10008.5.1.4.1.1.1' })]);
    const breastDx = makeStudy('20220101', [makeInstance({ modality: 'DX', sopClassUid: '1.2.840.10008.5.1.4.1.1.1.1' })]);
    const undated = mg('');
    const candidates = priorCandidates(current, [mg('20230101'), later, chest, undated, mg('20240601'), breastDx, mg('20250610')], { kind: 'mammo' });
    expect(candidates.map(({ study }) => study.studyDate)).toEqual(['20240601', '20230101', '20220101', '']);
  });

  it('matches MR priors by body region when both studies say', () => {
    const mrCurrent = makeStudy('20250101', mrSeries('T2 ax', 1));
    const knee = makeStudy('20240101', mrSeries('T2 sag', 1, { bodyPartExamined: 'KNEE' }));
    const breast = makeStudy('20230101', mrSeries('T2 ax', 1));
    const unknownPart = makeStudy('20220101', mrSeries('T2 ax', 1, { bodyPartExamined: '' }));
    expect(priorCandidates(mrCurrent, [knee, breast, unknownPart], { kind: 'mr' }).map(({ study }) => study.studyDate)).toEqual(['20230101', '20220101']);
  });

  it('reads DICOM dates strictly', () => {
    expect(studyDay('20250610')).not.toBeNull();
    expect(studyDay('20250230')).toBeNull();
    expect(studyDay('2025-06-10')).toBeNull();
  });
});

describe('prior rules', () => {
  const others = [mg('20250301'), mg('20240620'), mg('20230605'), mg('20200101')];

  it('default: the most recent study at least 9 months older', () => {
    expect(chosenDate(others, 'default')).toBe('20240620');
    const choice = choosePrior(current, priorCandidates(current, others, { kind: 'mammo' }), 'default');
    expect(choice.reason).toMatch(/at least 9 months older \(2024-06-20, 12 months before/);
  });

  it('default falls back to the most recent when none is 9 months older', () => {
    expect(chosenDate([mg('20250301'), mg('20250101')], 'default')).toBe('20250301');
    expect(choosePrior(current, priorCandidates(current, [mg('20250301')], { kind: 'mammo' }), 'default').reason).toMatch(/No earlier study is 9 months older/);
  });

  it('the 9-month boundary is by calendar month', () => {
    expect(chosenDate([mg('20240910'), mg('20240911'), mg('20230101')], 'default')).toBe('20240910');
  });

  it('two-years: the one closest to 24 months before', () => {
    expect(chosenDate(others, 'two-years')).toBe('20230605');
  });

  it('most-recent and oldest', () => {
    expect(chosenDate(others, 'most-recent')).toBe('20250301');
    expect(chosenDate(others, 'oldest')).toBe('20200101');
  });

  it('an explicit prior wins when it is a candidate; otherwise a warning and the rule applies', () => {
    const pick = others[3] as ReturnType<typeof makeStudy>;
    expect(chosenDate(others, 'default', pick.studyInstanceUid)).toBe('20200101');
    const choice = choosePrior(current, priorCandidates(current, others, { kind: 'mammo' }), 'default', '1.2.3.4');
    expect(choice.chosen?.study.studyDate).toBe('20240620');
    expect(choice.warnings[0]).toMatch(/requested prior 1\.2\.3\.4 is not an earlier comparable study/);
  });

  it('never chooses an undated study by itself, but the reader may', () => {
    const undated = mg('');
    const onlyUndated = choosePrior(current, priorCandidates(current, [undated], { kind: 'mammo' }), 'default');
    expect(onlyUndated.chosen).toBeNull();
    expect(onlyUndated.reason).toMatch(/unknown date/);
    expect(onlyUndated.warnings[0]).toMatch(/no date/);
    expect(chosenDate([undated, mg('20200101')], 'oldest')).toBe('20200101');
    const explicit = choosePrior(current, priorCandidates(current, [undated], { kind: 'mammo' }), 'default', undated.studyInstanceUid);
    expect(explicit.chosen?.study).toBe(undated);
    expect(explicit.reason).toMatch(/date is unknown/);
  });

  it('chooses nothing when the current study has no date', () => {
    const undatedCurrent = makeStudy('', screeningViews());
    const choice = choosePrior(undatedCurrent, priorCandidates(undatedCurrent, others, { kind: 'mammo' }), 'default');
    expect(choice.candidates).toHaveLength(4);
    expect(choice.chosen).toBeNull();
  });

  it('studies after the current one are never priors', () => {
    expect(chosenDate([mg('20260101')], 'most-recent')).toBeNull();
  });
});
