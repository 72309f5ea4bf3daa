import { describe, expect, it } from 'vitest';
import { afterEdit, emptyFinding } from '../../renderer/src/features/report/content-edits.ts';
import { reportTextForPasting } from '../../renderer/src/features/report/pasted-text.ts';
import type { Study } from '../../shared/api/schemas.ts';
import { emptyReportContent } from '../../shared/reports/report-logic.ts';
import type { Report } from '../../shared/reports/report-model.ts';

function signedReport(): Report {
  const empty = emptyReportContent('birads-mammography');
  const content = afterEdit({
    ...empty,
    outside: { ...empty.outside, facility: 'Hospital Norte', facts: { ...empty.outside.facts, overall: '2', findings: [] } },
    secondOpinion: {
      ...empty.secondOpinion,
      findings: [{ ...emptyFinding('F1', 'mass', 'L'), descriptors: { shape: 'irregular' }, assessment: '4C' }],
      assessment: { overall: '4C', right: '1', left: '4C' },
    },
    concordance: { ...empty.concordance, confirmed: 'major', radpeer: '2b', reason: 'Missed mass.' },
  });
  const signature = { profileId: 'ada', name: 'Ada Reader', credentials: 'MD', signatureLine: '', signedAt: '2026-11-30T04:00:00Z' };
  return {
    id: 7,
    studyInstanceUid: '1.2.3',
    status: 'amended',
    content,
    revision: 4,
    createdAt: '2026-11-30T03:00:00Z',
    updatedAt: '2026-11-30T04:00:00Z',
    signature,
    addenda: [{ id: 1, text: 'Biopsy: carcinoma.', signature }],
    communication: null,
    outcomes: [],
    exports: [],
  };
}

const study = {
  patientName: 'DOE^JANE\u0007',
  patientId: 'P-1\u001b[31m',
  patientBirthDate: '19610415',
  studyDate: '20260102',
  accessionNumber: 'ACC9',
  modalities: ['MG'],
} as Study;

describe('the signed report as text for pasting', () => {
  it('names the patient and study, then the verdict, both assessments, the report, signature and addenda', () => {
    const text = reportTextForPasting(signedReport(), study);
    const lines = text.split('\n');
    expect(lines[0]).toBe('SECOND-OPINION REPORT');
    expect(lines[1]).toBe('Patient: DOE, JANE, ID P-1[31m, born 1961-04-15');
    expect(lines[2]).toBe('Study: 2026-01-02, accession ACC9, MG');
    expect(text).toContain('CONCORDANCE VERDICT: Major discordance\n');
    expect(text).toContain('Outside assessment: BI-RADS 2 - Benign');
    expect(text).toContain('Second-opinion assessment: BI-RADS 4C - High suspicion for malignancy (right BI-RADS 1, left BI-RADS 4C)');
    expect(text).toMatch(/FINDINGS:\n1\. Left breast: irregular mass/);
    expect(text).toContain('Hospital Norte');
    expect(text).toContain('Signed by Ada Reader, MD on 2026-11-30T04:00:00Z');
    expect(text).toContain('ADDENDUM 1 (signed by Ada Reader on 2026-11-30T04:00:00Z):\nBiopsy: carcinoma.');
    // Control characters from the header do not reach the pasted text.
    expect([...text].filter((character) => character !== '\n' && character.charCodeAt(0) < 0x20)).toEqual([]);
  });

  it('says a verdict that is only proposed is proposed', () => {
    const report = signedReport();
    const unconfirmed = { ...report, content: { ...report.content, concordance: { ...report.content.concordance, confirmed: null } } };
    expect(reportTextForPasting(unconfirmed, null)).toContain('CONCORDANCE VERDICT: Major discordance (proposed)');
    expect(reportTextForPasting(unconfirmed, null)).not.toContain('Patient:');
  });
});
