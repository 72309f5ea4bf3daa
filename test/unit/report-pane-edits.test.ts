import { describe, expect, it } from 'vitest';
import { afterEdit, emptyFinding, nextFindingId, regenerateNarrative, suggestedRecommendation, withKind } from '../../renderer/src/features/report/content-edits.ts';
import { withEntry } from '../../shared/reports/draft-checks.ts';
import { emptyReportContent } from '../../shared/reports/report-logic.ts';
import type { ReportContent } from '../../shared/reports/report-model.ts';
import { reportContentSchema } from '../../shared/reports/report-model.ts';

/** A mammography draft whose outside report said BI-RADS 2 and whose second opinion finds a 4C mass. */
function biopsyCrossing(): ReportContent {
  const content = emptyReportContent('birads-mammography');
  const mass = { ...emptyFinding('F1', 'mass', 'L'), descriptors: { shape: 'irregular', margin: 'spiculated' }, sizeMm: 14, assessment: '4C' as const };
  return {
    ...content,
    outside: { ...content.outside, facts: { ...content.outside.facts, overall: '2', left: '2', right: '1', findings: [] } },
    secondOpinion: { ...content.secondOpinion, composition: 'c', findings: [mass], assessment: { overall: '4C', right: '1', left: '4C' } },
  };
}

describe('the pane\'s edits of a draft', () => {
  it('recompute the proposed verdict with the rules that fired after every edit', () => {
    const edited = afterEdit(biopsyCrossing());
    expect(edited.concordance.proposed).toBe('major');
    expect(edited.concordance.rules.map((rule) => rule.rule)).toEqual(expect.arrayContaining(['biopsy-threshold', 'new-suspicious-finding']));
    expect(edited.concordance.rules.find((rule) => rule.rule === 'biopsy-threshold')?.scope).toBe('L');
    // What the pane saves is what the API accepts.
    expect(reportContentSchema.safeParse(edited).success).toBe(true);
  });

  it('regenerate the narrative from the entries until the reader edits it, then leave the edit alone', () => {
    const generated = afterEdit(biopsyCrossing());
    expect(generated.secondOpinion.narrative).toContain('FINDINGS:');
    expect(generated.secondOpinion.narrative).toMatch(/irregular mass with spiculated margins/i);
    expect(generated.secondOpinion.narrative).toContain('BI-RADS 4C');

    const handEdited = { ...generated, secondOpinion: { ...generated.secondOpinion, narrative: 'My own words.', narrativeEdited: true } };
    const later = afterEdit({ ...handEdited, secondOpinion: { ...handEdited.secondOpinion, assessment: { overall: '5', right: '1', left: '5' } } });
    expect(later.secondOpinion.narrative).toBe('My own words.');
    expect(later.concordance.proposed).toBe('major');

    const regenerated = regenerateNarrative(later);
    expect(regenerated.secondOpinion.narrativeEdited).toBe(false);
    expect(regenerated.secondOpinion.narrative).toContain('BI-RADS 5');
    expect(regenerated.secondOpinion.narrative).not.toContain('My own words.');
  });

  it('suggest the management of the overall category, following the worse breast when no overall is given', () => {
    const content = emptyReportContent('birads-mammography');
    expect(suggestedRecommendation(content.secondOpinion)).toBeNull();
    expect(suggestedRecommendation({ ...content.secondOpinion, assessment: { overall: null, right: '3', left: '1' } })).toMatch(/short-interval/i);
    expect(suggestedRecommendation({ ...content.secondOpinion, assessment: { overall: '4A', right: null, left: null } })).toBe('Tissue diagnosis');
  });

  it('give each new finding an unused id and keep only the descriptors of its new kind', () => {
    expect(nextFindingId([])).toBe('F1');
    expect(nextFindingId([{ id: 'F1' }, { id: 'F3' }])).toBe('F4');
    expect(nextFindingId([{ id: 'F2' }])).toBe('F3');
    const mass = { ...emptyFinding('F1', 'mass', 'R'), descriptors: { shape: 'oval', margin: 'circumscribed' } };
    const calcifications = withKind(mass, 'calcifications', ['morphology', 'distribution']);
    expect(calcifications.kind).toBe('calcifications');
    expect(calcifications.descriptors).toEqual({});
    expect(withKind(mass, 'mass', ['shape']).descriptors).toEqual({ shape: 'oval' });
  });

  it("drop the typed entries of a finding once it is removed", () => {
    const content = withEntry(biopsyCrossing(), 'secondOpinion.findings.F1.sizeMm', '9 5');
    expect(afterEdit(content).invalidEntries).toEqual({ 'secondOpinion.findings.F1.sizeMm': '9 5' });
    const removed = afterEdit({ ...content, secondOpinion: { ...content.secondOpinion, findings: content.secondOpinion.findings.filter((finding) => finding.id !== 'F1') } });
    expect(removed.invalidEntries).toEqual({});
  });
});
