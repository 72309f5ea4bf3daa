import { describe, expect, it } from 'vitest';
import type { BiradsCategory } from '../../shared/reports/birads.ts';
import { concordanceOverview, overviewCsv } from '../../shared/reports/overview.ts';
import type { OverviewCase } from '../../shared/reports/overview.ts';
import { reportContentSchema } from '../../shared/reports/report-model.ts';
import type { ReportContent } from '../../shared/reports/report-model.ts';
import { emptyReportContent, outcomeSupports, reportFigures, secondOpinionFacts, signingBlockers, withProposedConcordance } from '../../shared/reports/report-logic.ts';
import { exampleReportContent } from '../support/report-example.ts';

const example = reportContentSchema.parse(exampleReportContent());

function withCategories(outside: BiradsCategory | null, second: BiradsCategory | null): ReportContent {
  return {
    ...example,
    outside: { ...example.outside, facts: { ...example.outside.facts, overall: outside, right: null, left: null, findings: null } },
    secondOpinion: { ...example.secondOpinion, assessment: { overall: second, right: null, left: null }, findings: [] },
  };
}

describe('report logic', () => {
  it('reads the second opinion as the facts concordance compares', () => {
    const facts = secondOpinionFacts(example.secondOpinion);
    expect(facts).toEqual({
      overall: '4B', right: '4B', left: '1', composition: 'b', extentCm: null, priorsAvailable: true,
      findings: [{ id: 'f-1', laterality: 'R', kind: 'mass', clock: 10, sizeMm: 9, assessment: '4B' }],
    });
  });

  it('recomputes the proposal from the readings, keeping the radiologist\'s decision', () => {
    const claimed = { ...example, concordance: { ...example.concordance, proposed: 'concordant' as const, rules: [] } };
    const recomputed = withProposedConcordance(claimed);
    expect(recomputed.concordance.proposed).toBe('major');
    expect(recomputed.concordance.rules.map((r) => [r.rule, r.scope])).toContainEqual(['biopsy-threshold', 'R']);
    expect(recomputed.concordance.rules.map((r) => r.rule)).toContain('priors-availability');
    expect(recomputed.concordance).toMatchObject({ confirmed: 'major', radpeer: '2b', reason: example.concordance.reason });
    expect(withProposedConcordance(withCategories('2', '2')).concordance.proposed).toBe('concordant');
    expect(withProposedConcordance(withCategories(null, '2')).concordance.proposed).toBe('indeterminate');
  });

  it('gives the worklist figures: confirmed verdict and each reading\'s overall (stated, else the worse breast)', () => {
    expect(reportFigures(withProposedConcordance(example))).toEqual({ verdict: 'major', proposedVerdict: 'major', outsideAssessment: '3', secondOpinionAssessment: '4B' });
    const sidesOnly = { ...example, secondOpinion: { ...example.secondOpinion, assessment: { overall: null, right: '2' as const, left: '4C' as const } } };
    expect(reportFigures(sidesOnly).secondOpinionAssessment).toBe('4C');
  });

  it('blocks signing until the verdict is confirmed', () => {
    expect(signingBlockers(example)).toEqual([]);
    expect(signingBlockers({ ...example, concordance: { ...example.concordance, confirmed: null } })).toEqual(['the concordance verdict is not confirmed']);
  });

  it('makes an empty report that the schema accepts, with an indeterminate proposal', () => {
    const empty = emptyReportContent('birads-breast-mri');
    expect(reportContentSchema.parse(empty)).toEqual(empty);
    expect(empty.concordance.proposed).toBe('indeterminate');
    expect(empty.secondOpinion.template).toBe('birads-breast-mri');
  });

  it.each([
    // [outside, second, result, supports]
    ['3', '4B', 'malignant', 'second-opinion'],
    ['3', '4B', 'benign', 'outside'],
    ['4A', '2', 'high-risk', 'outside'],
    ['4A', '4B', 'malignant', 'both'],
    ['2', '3', 'stable', 'both'],
    ['0', '2', 'malignant', 'neither'],
    ['0', '5', 'resolved', 'neither'],
    ['6', '2', 'malignant', 'outside'],
  ] as [BiradsCategory, BiradsCategory, string, string][])('an outcome after outside %s, second opinion %s, %s, supports %s', (outside, second, result, supports) => {
    expect(outcomeSupports(withCategories(outside, second), { findingId: null, result })).toBe(supports);
  });

  it('judges a finding\'s outcome by that finding\'s assessments, and says nothing for an "other" result', () => {
    // f-1: the second opinion's finding is 4B; the outside report has no f-1, so its right breast (3) stands for it.
    expect(outcomeSupports(example, { findingId: 'f-1', result: 'malignant' })).toBe('second-opinion');
    expect(outcomeSupports(example, { findingId: 'out-1', result: 'benign' })).toBe('outside');
    expect(outcomeSupports(example, { findingId: 'f-1', result: 'other' })).toBeNull();
  });
});

describe('concordance overview', () => {
  const base: OverviewCase = { modalities: ['MG'], facility: 'North', signedAt: '2024-01-15T10:00:00Z', verdict: 'concordant', outsideAssessment: '2', secondOpinionAssessment: '2', outcomeSupports: [] };
  const cases: OverviewCase[] = [
    base,
    { ...base, verdict: 'major', outsideAssessment: '3', secondOpinionAssessment: '4A', outcomeSupports: ['second-opinion', null] },
    { ...base, modalities: ['MR', 'SR'], facility: 'South', signedAt: '2024-02-02T09:00:00Z', verdict: 'minor', outsideAssessment: '4A', secondOpinionAssessment: '4B' },
    { ...base, modalities: ['SR'], facility: '', signedAt: '2024-02-20T09:00:00Z', verdict: 'major', outsideAssessment: null, secondOpinionAssessment: '5', outcomeSupports: ['both'] },
  ];

  it('counts verdicts and rates by modality, facility and month', () => {
    const byModality = concordanceOverview(cases, 'modality');
    expect(byModality.all).toMatchObject({ total: 4, concordant: 1, minor: 1, major: 2, majorRate: 0.5 });
    expect(byModality.groups.map((g) => [g.key, g.total])).toEqual([['MG', 2], ['MR', 1], ['SR', 1]]);
    expect(concordanceOverview(cases, 'facility').groups.map((g) => [g.key, g.major])).toEqual([['(not recorded)', 1], ['North', 1], ['South', 0]]);
    const byPeriod = concordanceOverview(cases, 'period');
    expect(byPeriod.groups.map((g) => [g.key, g.total, g.majorRate])).toEqual([['2024-01', 2, 0.5], ['2024-02', 2, 0.5]]);
    expect(byPeriod.timeSeries).toEqual(byPeriod.groups);
  });

  it('builds the outside-by-second matrix in category order and counts outcomes of discordant cases only', () => {
    const overview = concordanceOverview([...cases, { ...base, outcomeSupports: ['outside'] }], 'modality');
    expect(overview.matrix).toEqual([
      { outside: '-', secondOpinion: '5', count: 1 },
      { outside: '2', secondOpinion: '2', count: 2 },
      { outside: '3', secondOpinion: '4A', count: 1 },
      { outside: '4A', secondOpinion: '4B', count: 1 },
    ]);
    expect(overview.discordantOutcomes).toEqual({ outside: 0, 'second-opinion': 1, both: 1, neither: 0 });
  });

  it('gives zero rates for no cases, and a CSV a spreadsheet cannot be tricked by', () => {
    expect(concordanceOverview([], 'facility').all).toMatchObject({ total: 0, concordantRate: 0, majorRate: 0 });
    const csv = overviewCsv(concordanceOverview([{ ...base, facility: '=HYPERLINK("x"), "Clinic"' }], 'facility'));
    expect(csv.split('\r\n')).toContain(`facility,"'=HYPERLINK(""x""), ""Clinic""",1,1,0,0,1.000,0.000,0.000`);
  });
});
