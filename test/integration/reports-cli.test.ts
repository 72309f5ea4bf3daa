import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concord, concordJson } from '../support/cli.ts';
import { haveCorpus, haveTool, repoRoot } from '../support/environment.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';
import { exampleReportContent, exampleReportPath } from '../support/report-example.ts';
import { importReportsCorpus } from '../support/reports.ts';

const present = haveCorpus();
let library: string;

interface Listed {
  reports: { id: number; studyInstanceUid: string; status: string; verdict: string | null; outsideAssessment: string | null; secondOpinionAssessment: string | null }[];
}

function studyUid(description: string): string {
  const { studies } = concordJson<{ studies: { studyInstanceUid: string; studyDescription: string }[] }>(['studies', '--library', library]);
  return studies.find((s) => s.studyDescription === description)?.studyInstanceUid as string;
}

beforeAll(async () => {
  if (!present) {
    return;
  }
  library = tempDir();
  await importReportsCorpus(library);
});

afterAll(cleanupTempDirs);

describe('README report example', () => {
  it('is exactly the committed example file', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const block = /<!-- report-example: test\/fixtures\/report-example\.json -->\s*```json\n([\s\S]*?)\n```/.exec(readme);
    expect(block).not.toBeNull();
    expect(JSON.parse(block?.[1] as string)).toEqual(JSON.parse(readFileSync(exampleReportPath, 'utf8')));
  });
});

describe.runIf(present)('concord reports, report, readers and concordance', () => {
  it('creates the README example, lists it with the documented fields, signs it, and refuses what it must', () => {
    expect(concord(['readers', 'add', '--id', 'Dr Second', '--name', 'x', '--library', library]).status).toBe(2);
    const added = concordJson<{ profile: { id: string; signatureLine: string } }>([
      'readers', 'add', '--id', 'dr-second', '--name', 'Dr. Second Reader', '--credentials', 'MD', '--institution', 'Northside Breast Centre', '--library', library,
    ]);
    expect(added.profile).toEqual({ id: 'dr-second', name: 'Dr. Second Reader', credentials: 'MD', signatureLine: 'Dr. Second Reader, MD', institution: 'Northside Breast Centre' });
    expect(concordJson<{ profiles: unknown[] }>(['readers', '--library', library]).profiles).toEqual([added.profile]);

    const study = studyUid('Bilateral Mammography');
    const created = concord(['report', 'create', '--study', study, '--from', exampleReportPath, '--library', library]);
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const id = Number(created.stdout.trim());
    expect(Number.isInteger(id) && id > 0).toBe(true);
    const again = concord(['report', 'create', '--study', study, '--from', exampleReportPath, '--library', library, '--json']);
    expect(again.status).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ error: { code: 'conflict' } });
    const bad = join(tempDir(), 'bad.json');
    writeFileSync(bad, '{"outside": {}}');
    const refused = concord(['report', 'create', '--study', studyUid('MR Lever'), '--from', bad, '--library', library]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/the report content is not valid: outside\.facility/);

    const listed = concordJson<Listed>(['reports', '--library', library]);
    expect(listed.reports).toEqual([
      expect.objectContaining({ id, studyInstanceUid: study, status: 'draft', verdict: 'major', outsideAssessment: '3', secondOpinionAssessment: '4B' }),
    ]);
    for (const field of ['id', 'studyInstanceUid', 'status', 'verdict', 'outsideAssessment', 'secondOpinionAssessment']) {
      expect(Object.keys(listed.reports[0] ?? {})).toContain(field);
    }

    expect(concord(['report', 'sign', String(id), '--reader', 'nobody', '--library', library]).status).toBe(1);
    const signed = concord(['report', 'sign', String(id), '--reader', 'dr-second', '--library', library]);
    expect(signed.status).toBe(0);
    expect(signed.stdout).toMatch(/^Signed report \d+ as Dr\. Second Reader at /);
    expect(concordJson<Listed>(['reports', '--library', library]).reports[0]?.status).toBe('signed');
    const shown = concordJson<{ report: { signature: { profileId: string }; content: { concordance: { proposed: string } } } }>(['report', 'show', String(id), '--library', library]);
    expect(shown.report.signature.profileId).toBe('dr-second');
    expect(shown.report.content.concordance.proposed).toBe('major');

    const overview = concordJson<{ all: { total: number; major: number }; matrix: unknown[] }>(['concordance', '--by', 'facility', '--library', library]);
    expect(overview.all).toMatchObject({ total: 1, major: 1 });
    expect(overview.matrix).toEqual([{ outside: '3', secondOpinion: '4B', count: 1 }]);
    const csv = concord(['concordance', '--csv', '--by', 'facility', '--library', library]);
    expect(csv.status).toBe(0);
    expect(csv.stdout.split('\r\n')).toContain('facility,Lakeside Imaging Center,1,0,0,1,0.000,0.000,1.000');
    expect(concord(['concordance', '--csv', '--json', '--library', library]).status).toBe(2);
    expect(concord(['concordance', '--by', 'reader', '--library', library]).status).toBe(2);
  });

  it.runIf(haveTool('dciodvfy', 'dicom3tools') && haveTool('dsrdump', 'dcmtk') && haveTool('pdftotext', 'poppler-utils'))(
    'exports the signed README example as PDF, SR, Encapsulated PDF and text that pass the validators',
    () => {
      const { reports } = concordJson<Listed>(['reports', '--library', library]);
      const out = tempDir();
      const files = { pdf: join(out, 'r.pdf'), sr: join(out, 'r-sr.dcm'), 'encapsulated-pdf': join(out, 'r-pdf.dcm'), text: join(out, 'r.txt') };
      const result = concord(['report', 'export', String(reports[0]?.id), ...Object.entries(files).flatMap(([k, v]) => [`--${k}`, v]), '--library', library]);
      expect(result.status).toBe(0);
      // The verdict, both assessments and the patient's identifiers, as the referring physician reads them.
      const pdfText = execFileSync('pdftotext', [files.pdf, '-'], { encoding: 'utf8' });
      expect(pdfText).toMatch(/Major discordance/);
      expect(pdfText).toMatch(/BI-RADS 3\b/);
      expect(pdfText).toMatch(/BI-RADS 4B\b/);
      expect(pdfText).toContain('00112233');
      // dciodvfy names the IOD it checked and reports no error.
      const validate = (file: string): string => execFileSync('sh', ['-c', `dciodvfy "${file}" 2>&1 || true`], { encoding: 'utf8' });
      const sr = validate(files.sr);
      expect(sr).toMatch(/^(Enhanced|Comprehensive|BasicText)SR$/m);
      expect(sr).not.toMatch(/^Error/m);
      const encapsulated = validate(files['encapsulated-pdf']);
      expect(encapsulated).toMatch(/^EncapsulatedPDF$/m);
      expect(encapsulated).not.toMatch(/^Error/m);
      // dcmtk reads the SR back with the coded assessments and the verdict.
      const dump = execFileSync('dsrdump', ['-Ee', '-Ec', files.sr], { encoding: 'utf8' });
      expect(dump).toMatch(/"Assessment Category"\)=\([^)]*"4B\b/);
      expect(dump).toMatch(/"1 - Negative"/);
      expect(dump).toContain('Major discordance');
      // The verifying organisation is the reader's institution (concord readers add --institution), not the outside facility.
      expect(execFileSync('dcmdump', ['+U8', '-q', files.sr], { encoding: 'utf8' })).toContain('(0040,a027) LO [Northside Breast Centre]');
      expect(readFileSync(files.text, 'utf8')).toContain('4B');
      const { studies } = concordJson<{ studies: { studyInstanceUid: string; instanceCount: number }[] }>(['studies', '--library', library]);
      expect(studies.find((s) => s.studyInstanceUid === reports[0]?.studyInstanceUid)?.instanceCount).toBe(3);
    },
  );

  it('refuses to sign a draft with invalid or contradictory values, listing every one', () => {
    const example = exampleReportContent() as { outside: Record<string, unknown>; secondOpinion: { findings: { location: Record<string, unknown> }[] } } & Record<string, unknown>;
    const finding = example.secondOpinion.findings[0] as { location: Record<string, unknown> };
    const flawed = {
      ...example,
      outside: { ...example.outside, date: '' },
      secondOpinion: { ...example.secondOpinion, findings: [{ ...finding, location: { ...finding.location, laterality: 'R', clock: 10, quadrant: 'UIQ' } }] },
      invalidEntries: { 'outside.date': '20231-05-04' },
    };
    const file = join(tempDir(), 'flawed.json');
    writeFileSync(file, JSON.stringify(flawed));
    const created = concord(['report', 'create', '--study', studyUid('MR Lever'), '--from', file, '--library', library]);
    expect(created.stderr).toBe('');
    const id = created.stdout.trim();
    const refusedSign = concord(['report', 'sign', id, '--reader', 'dr-second', '--library', library, '--json']);
    expect(refusedSign.status).toBe(1);
    const message = (JSON.parse(refusedSign.stdout) as { error: { code: string; message: string } }).error.message;
    expect(message).toContain(`report ${id} cannot be signed yet: `);
    expect(message).toContain('outside report: date "20231-05-04": the year has 5 digits: expected 4');
    expect(message).toContain("right breast at 10 o'clock is the upper outer quadrant, not the upper inner quadrant");
    expect(concordJson<{ report: { status: string } }>(['report', 'show', id, '--library', library]).report.status).toBe('draft');
  });
});
