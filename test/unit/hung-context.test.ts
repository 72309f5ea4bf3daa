import { describe, expect, it } from 'vitest';
import { afterEdit } from '../../renderer/src/features/report/content-edits.ts';
import { comparisonFromHanging, prefillFromHanging, techniqueFromHanging } from '../../shared/reports/hung-context.ts';
import type { HungContext } from '../../shared/reports/hung-context.ts';
import { emptyReportContent } from '../../shared/reports/report-logic.ts';
import { reportContentSchema } from '../../shared/reports/report-model.ts';

const HUNG: HungContext = {
  current: { studyInstanceUid: '2.25.1', studyDate: '20261014', facility: 'Northside Breast Center' },
  prior: { studyInstanceUid: '2.25.2', studyDate: '20250930', facility: 'Lakeview Imaging' },
  modality: 'MG',
  views: ['RCC', 'LCC', 'RMLO', 'LMLO', 'RCC'],
};

describe('what the report takes from the hanging', () => {
  it('the comparison names the hung prior by date and facility; "none" only when no prior was hung', () => {
    expect(comparisonFromHanging(HUNG)).toBe('Prior mammogram of 2025-09-30 from Lakeview Imaging, compared side by side.');
    expect(comparisonFromHanging({ ...HUNG, prior: null })).toBe('None: no prior examination was available to hang.');
    expect(comparisonFromHanging({ ...HUNG, modality: 'MR', prior: { studyInstanceUid: '2.25.3', studyDate: '', facility: '' } })).toBe(
      'Prior breast MRI of unknown date, compared side by side.',
    );
  });

  it('the technique lists the acquired views once each, bilateral when both sides were taken', () => {
    expect(techniqueFromHanging(HUNG)).toBe('Bilateral digital mammography of 2026-10-14 from Northside Breast Center: RCC, LCC, RMLO, LMLO.');
    expect(techniqueFromHanging({ ...HUNG, views: ['LCC', 'LMLO'] })).toBe('Digital mammography of 2026-10-14 from Northside Breast Center: LCC, LMLO.');
  });

  it('header text is cleaned and cut: markup stays text, control characters go, long names end in an ellipsis', () => {
    const hostile = { ...HUNG, prior: { ...HUNG.prior!, facility: `<b>Lake</b>\u0007view ${'x'.repeat(200)}` } };
    const text = comparisonFromHanging(hostile);
    expect(text).toContain('<b>Lake</b>view');
    expect(text).not.toContain('\u0007');
    expect(text).toContain('…');
    expect(text.length).toBeLessThan(200);
  });

  it('fills only what the reader left empty, and the narrative then names the prior instead of "None"', () => {
    const opinion = emptyReportContent('birads-mammography').secondOpinion;
    const change = prefillFromHanging(opinion, HUNG);
    expect(change).toEqual({
      comparison: 'Prior mammogram of 2025-09-30 from Lakeview Imaging, compared side by side.',
      technique: 'Bilateral digital mammography of 2026-10-14 from Northside Breast Center: RCC, LCC, RMLO, LMLO.',
      priorStudyUids: ['2.25.2'],
      priorsAvailable: true,
    });
    const content = emptyReportContent('birads-mammography');
    const filled = afterEdit({ ...content, secondOpinion: { ...content.secondOpinion, ...change } });
    expect(reportContentSchema.parse(filled)).toBeTruthy();
    expect(filled.secondOpinion.narrative).toContain('Prior mammogram of 2025-09-30 from Lakeview Imaging');
    expect(filled.secondOpinion.narrative).not.toMatch(/None\./);
    // Typed by the reader: kept.
    const typed = { ...opinion, comparison: 'Outside prior of 2019 on film.', technique: 'As described.', priorStudyUids: ['2.25.9'], priorsAvailable: true };
    expect(prefillFromHanging(typed, HUNG)).toBeNull();
    expect(prefillFromHanging(opinion, { ...HUNG, prior: null })).toMatchObject({ comparison: 'None: no prior examination was available to hang.', priorsAvailable: false });
  });
});
