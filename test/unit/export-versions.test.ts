import { describe, expect, it } from 'vitest';
import { amendmentLabel, exportFileName, fileNamePatient, reportExportFileName, reportVersion, versionedExports } from '../../shared/reports/export-versions.ts';
import { mammographyContent, reportOf } from '../support/report-fixture.ts';

function amendedReport(): ReturnType<typeof reportOf> {
  const report = reportOf(mammographyContent(), true);
  report.addenda = [
    { id: 1, text: 'Pathology: carcinoma.', signature: { profileId: 'mreader', name: 'Maria Reader', credentials: '', signatureLine: '', signedAt: '2026-03-20T08:00:00.000Z' } },
  ];
  report.exports = [
    { kind: 'sr', sopInstanceUid: '2.25.1', createdAt: '2026-03-14T10:06:00.000Z' },
    { kind: 'encapsulated-pdf', sopInstanceUid: '2.25.2', createdAt: '2026-03-14T10:06:01.000Z' },
    { kind: 'sr', sopInstanceUid: '2.25.3', createdAt: '2026-03-20T08:01:00.000Z' },
  ];
  return report;
}

describe('versions of a report and its exports', () => {
  it('counts a version per signature: draft 0, signed 1, one more per addendum', () => {
    expect(reportVersion(reportOf(mammographyContent(), false))).toBe(0);
    expect(reportVersion(reportOf(mammographyContent(), true))).toBe(1);
    expect(reportVersion(amendedReport())).toBe(2);
    expect(amendmentLabel(1)).toBe('');
    expect(amendmentLabel(3)).toBe('amended 2');
  });

  it('marks the exports made before an addendum superseded, and the ones after it current', () => {
    expect(versionedExports(amendedReport()).map((entry) => [entry.sopInstanceUid, entry.version, entry.superseded])).toEqual([
      ['2.25.1', 1, true],
      ['2.25.2', 1, true],
      ['2.25.3', 2, false],
    ]);
    const signedOnly = reportOf(mammographyContent(), true);
    signedOnly.exports = [{ kind: 'sr', sopInstanceUid: '2.25.9', createdAt: '2026-03-14T10:06:00.000Z' }];
    expect(versionedExports(signedOnly)).toEqual([{ kind: 'sr', sopInstanceUid: '2.25.9', createdAt: '2026-03-14T10:06:00.000Z', version: 1, superseded: false }]);
  });

  it('names a download by patient, the date the version was signed, and the version', () => {
    const report = amendedReport();
    expect(reportExportFileName(report, 'Doe^Jane^^Dr', 2, 'pdf')).toBe('DOE_JANE-2026-03-20-v2-second-opinion.pdf');
    expect(reportExportFileName(report, 'Doe^Jane', 1, 'txt')).toBe('DOE_JANE-2026-03-14-v1-second-opinion.txt');
    expect(exportFileName('Doe^Jane', '20261207', 0, 'pdf')).toBe('DOE_JANE-2026-12-07-draft-second-opinion.pdf');
  });

  it('keeps nothing of an untrusted name that could be a path, a separator or a control character', () => {
    expect(fileNamePatient('../../etc/passwd^x')).toBe('ETC_PASSWD_X');
    expect(fileNamePatient('Müller-Lüdenscheidt^José María')).toBe('MULLER_LUDENSCHEIDT_JOSE_MARIA');
    expect(fileNamePatient('A\u0000B\u001b[31m^C:\\\\D')).toBe('A_B_31M_C_D');
    expect(fileNamePatient('=山田^太郎')).toBe('山田_太郎');
    expect(fileNamePatient('^^^')).toBe('PATIENT');
    expect(fileNamePatient('')).toBe('PATIENT');
    expect(fileNamePatient('X'.repeat(300)).length).toBeLessThanOrEqual(48);
    expect(exportFileName('a/b\\c:d*e?f"g<h>i|j', '2026-12-07T10:00:00.000Z', 2, 'pdf')).toMatch(/^[A-Z_]+-2026-12-07-v2-second-opinion\.pdf$/);
  });
});
