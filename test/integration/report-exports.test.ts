import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { encapsulatedPdfOf } from '../../electron/services/documents/read-document.ts';
import type { ExportContext, ReferencedInstance } from '../../electron/services/reports/exports.ts';
import { buildEncapsulatedPdf, buildReportPdf, buildReportSr, buildReportText } from '../../electron/services/reports/exports.ts';
import { textRuns } from '../../electron/services/reports/pdf-fonts.ts';
import { dsrdumpHeader, dsrdumpItems } from '../support/dsrdump.ts';
import { corpus, haveCorpus, haveTool } from '../support/environment.ts';
import { mammographyContent, reportOf } from '../support/report-fixture.ts';

const tools = [haveTool('dciodvfy', 'dicom3tools'), haveTool('dsrdump', 'dcmtk'), haveTool('dcmdump', 'dcmtk'), haveTool('pdftotext', 'poppler-utils')].every(Boolean);
const work = mkdtempSync(join(tmpdir(), 'concord-report-exports-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const STUDY_UID = '1.2.826.0.1.3680043.8.498.10';
const MG_CLASS = '1.2.840.10008.5.1.4.1.1.1.2';
const PDF_CLASS = '1.2.840.10008.5.1.4.1.1.104.1';

/** A grey PNG with a bright square, written by hand (no image library needed for a test image). */
function testPng(width: number, height: number, seed: number): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y += 1) {
    const row = Buffer.alloc(width + 1);
    for (let x = 0; x < width; x += 1) {
      const inSquare = Math.abs(x - width / 2) < width / 6 && Math.abs(y - height / 2) < height / 6;
      row[x + 1] = inSquare ? 250 : (x * 3 + y * seed) % 160;
    }
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const instances: ReferencedInstance[] = [
  { sopInstanceUid: '1.2.826.0.1.3680043.8.498.11.1', sopClassUid: MG_CLASS, seriesInstanceUid: '1.2.826.0.1.3680043.8.498.11' },
  { sopInstanceUid: '1.2.826.0.1.3680043.8.498.11.2', sopClassUid: MG_CLASS, seriesInstanceUid: '1.2.826.0.1.3680043.8.498.11' },
  { sopInstanceUid: '1.2.826.0.1.3680043.8.498.12.1', sopClassUid: PDF_CLASS, seriesInstanceUid: '1.2.826.0.1.3680043.8.498.12' },
];

function exportContext(signed: boolean, patientName = 'Reader^Test^^Ms'): ExportContext {
  const content = mammographyContent();
  content.outside.sourceDocumentUid = '1.2.826.0.1.3680043.8.498.12.1';
  const keyImages = [
    { sopInstanceUid: '1.2.826.0.1.3680043.8.498.11.1', frame: null, annotationUid: null, caption: 'L CC: spiculated mass' },
    { sopInstanceUid: '1.2.826.0.1.3680043.8.498.11.2', frame: null, annotationUid: null, caption: 'L MLO: the same mass' },
  ];
  content.secondOpinion.keyImages = keyImages;
  content.secondOpinion.findings[0]!.images = [keyImages[0]!];
  return {
    report: reportOf(content, signed),
    patient: { name: patientName, patientId: 'PID-4711', issuer: 'RIVERSIDE', birthDate: '19640229', sex: 'F' },
    study: {
      studyInstanceUid: STUDY_UID,
      studyDate: '20260302',
      studyTime: '091500',
      accessionNumber: 'ACC-2026-17',
      studyDescription: 'MAMMO^BILATERAL DIAGNOSTIC',
      studyId: '17',
      referringPhysicianName: 'Referrer^Rita',
      institutionName: 'Riverside Imaging',
      modalities: ['MG'],
    },
    keyImages: keyImages.map((reference, index) => ({ reference, png: testPng(240, 300, index + 1) })),
    generatedAt: new Date('2026-03-14T10:10:00.000Z'),
    studyInstances: instances,
  };
}

/** The report after an addendum by a second reader, with the outside report's text and the communication recorded. */
function amendedContext(): ExportContext {
  const context = exportContext(true);
  const report = context.report;
  report.status = 'amended';
  report.signature = { ...report.signature!, institution: 'Northside Breast Centre' };
  report.addenda = [
    {
      id: 1,
      text: 'Pathology: invasive ductal carcinoma, grade 2.',
      signature: { profileId: 'jsecond', name: 'Jon Second', credentials: 'MD', signatureLine: '', institution: 'Northside Breast Centre', signedAt: '2026-03-20T08:00:00.000Z' },
    },
  ];
  report.communication = { to: 'Dr Rita Referrer', at: '2026-03-14 11:05', how: 'phone', by: 'Maria Reader', note: 'biopsy advised, appointment made' };
  report.content.outside.freeText = 'FINDINGS: 12 mm oval circumscribed mass, left breast, 2 o\'clock.\nIMPRESSION: probably benign oval mass.';
  context.generatedAt = new Date('2026-03-21T10:00:00.000Z');
  return context;
}

function uids(sop: string): { studyInstanceUid: string; seriesInstanceUid: string; sopInstanceUid: string } {
  return { studyInstanceUid: STUDY_UID, seriesInstanceUid: `${STUDY_UID}.${sop}`, sopInstanceUid: `${STUDY_UID}.${sop}.1` };
}

/** dciodvfy's errors (it prints them and its warnings on stderr; it exits 0 either way). */
function dciodvfyErrors(file: string): string[] {
  const result = spawnSync('dciodvfy', [file], { encoding: 'utf8' });
  return `${result.stdout}${result.stderr}`.split('\n').filter((line) => line.startsWith('Error'));
}

/** A top-level sequence of a dcmdump listing, from its line to its delimitation item (both unindented). */
function topLevelSequence(dump: string, name: string): string {
  const lines = dump.split('\n');
  const start = lines.findIndex((line) => line.startsWith('(') && line.includes(` ${name}`));
  expect(start, `${name} in the dataset`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((line, index) => index > start && line.startsWith('(fffe,e0dd)'));
  return lines.slice(start, end).join('\n');
}

function pdfPages(file: string): string[] {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const count = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  return Array.from({ length: count }, (_, index) =>
    execFileSync('pdftotext', ['-f', String(index + 1), '-l', String(index + 1), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }),
  );
}

describe.skipIf(!tools)('report exports checked by the reference tools', () => {
  it('writes an Enhanced SR that dciodvfy accepts and dsrdump reads back with the coded assessments, recommendation and verdict', () => {
    const file = join(work, 'report-sr.dcm');
    writeFileSync(file, buildReportSr(exportContext(true), uids('1')));
    expect(dciodvfyErrors(file)).toEqual([]);

    const items = dsrdumpItems(file);
    expect(items[0]).toMatchObject({ depth: 0, valueType: 'CONTAINER', concept: 'Diagnostic Imaging Report' });
    const assessments = items.filter((item) => item.concept === 'Assessment Category').map((item) => item.value);
    // The first finding's own assessment, then overall, right and left.
    // Code value and scheme from CID 6027; the meaning is the label the report pane shows (BI-RADS 5th edition).
    expect(assessments).toEqual([
      '(MA.II.A.5.4C,BI[4th edition],"4C - High suspicion for malignancy")',
      '(MA.II.A.5.4C,BI[4th edition],"4C - High suspicion for malignancy")',
      '(397140005,SCT,"1 - Negative")',
      '(MA.II.A.5.4C,BI[4th edition],"4C - High suspicion for malignancy")',
    ]);
    expect(items.filter((item) => item.concept === 'Laterality').map((item) => item.value)).toEqual([
      '(7771000,SCT,"Left")',
      '(7771000,SCT,"Left")',
      '(24028007,SCT,"Right")',
      '(7771000,SCT,"Left")',
    ]);
    const firstFinding = items.findIndex((item) => item.valueType === 'TEXT' && item.value.startsWith('"1. Left breast'));
    expect(items[firstFinding + 3]).toMatchObject({ relationship: 'inferred from', valueType: 'IMAGE', depth: (items[firstFinding]?.depth ?? 0) + 1 });
    expect(items[firstFinding + 3]?.value).toContain('1.2.826.0.1.3680043.8.498.11.1');
    expect(items.find((item) => item.concept === 'Recommendation' && item.valueType === 'CODE')?.value).toBe('(111148,DCM,"Biopsy should be strongly considered")');
    expect(items.find((item) => item.concept === 'Concordance with outside report')?.value).toBe('(major,99CONCORD,"Major discordance")');
    expect(items.find((item) => item.concept === 'Person Observer Name')?.value).toBe('"Maria Reader"');
    const sections = items.filter((item) => item.depth === 1 && item.valueType === 'CONTAINER').map((item) => item.concept);
    // TID 2000's sections, titled from CID 7001: the request, what was done and compared, the outside reading, ours.
    expect(sections).toEqual(['Request', 'Current Procedure Descriptions', 'Prior Procedure Descriptions', 'Previous Findings', 'Findings', 'Impressions', 'Recommendations']);
    expect(items.find((item) => item.concept === 'Request' && item.valueType === 'TEXT')?.value).toBe('"Second opinion on a left breast mass."');
    expect(items.find((item) => item.concept === 'Previous Finding' && item.value.startsWith('"Left breast'))?.value).toBe('"Left breast mass at 2 o\'clock, 12 mm, BI-RADS 3"');
    const images = items.filter((item) => item.valueType === 'IMAGE' && item.relationship === 'contains');
    expect(images).toHaveLength(2);
    expect(images[0]?.value).toContain('1.2.826.0.1.3680043.8.498.11.1');

    const header = dsrdumpHeader(file);
    expect(header.get('Completion Flag')).toBe('COMPLETE');
    expect(header.get('Verification Flag')).toBe('VERIFIED');
    const dump = execFileSync('dcmdump', ['+U8', '-q', file], { encoding: 'utf8' });
    const evidence = topLevelSequence(dump, 'CurrentRequestedProcedureEvidenceSequence');
    expect(evidence).toContain('1.2.826.0.1.3680043.8.498.11.1');
    expect(evidence).toContain('1.2.826.0.1.3680043.8.498.11.2');
    expect(evidence).not.toContain('1.2.826.0.1.3680043.8.498.12.1');
    expect(topLevelSequence(dump, 'PertinentOtherEvidenceSequence')).toContain('1.2.826.0.1.3680043.8.498.12.1');
    expect(dump).toMatch(/\(0020,000d\) UI \[1\.2\.826\.0\.1\.3680043\.8\.498\.10\]/);
    expect(dump).toMatch(/\(0010,0020\) LO \[PID-4711\]/);
    expect(dump).toMatch(/\(0008,0050\) SH \[ACC-2026-17\]/);
  });

  it("names Concord's earlier SR of the report as its predecessor, not as evidence", () => {
    const context = exportContext(true);
    const earlier: ReferencedInstance = { sopInstanceUid: `${STUDY_UID}.1.1`, sopClassUid: '1.2.840.10008.5.1.4.1.1.88.22', seriesInstanceUid: `${STUDY_UID}.1` };
    context.studyInstances = [...instances, earlier];
    context.report.exports = [{ kind: 'sr', sopInstanceUid: earlier.sopInstanceUid, createdAt: '2026-03-14T10:06:00.000Z' }];
    const file = join(work, 'amended-sr.dcm');
    writeFileSync(file, buildReportSr(context, uids('4')));
    expect(dciodvfyErrors(file)).toEqual([]);
    const dump = execFileSync('dcmdump', ['+U8', '-q', file], { encoding: 'utf8' });
    expect(topLevelSequence(dump, 'PredecessorDocumentsSequence')).toContain(earlier.sopInstanceUid);
    const evidence = topLevelSequence(dump, 'CurrentRequestedProcedureEvidenceSequence');
    expect(evidence).toContain('1.2.826.0.1.3680043.8.498.11.2');
    expect(evidence).not.toContain(earlier.sopInstanceUid);
  });

  it('after an addendum: every signer is a verifying observer of their institution, the series says "amended 1", the addendum names its signer', () => {
    const file = join(work, 'addendum-sr.dcm');
    writeFileSync(file, buildReportSr(amendedContext(), uids('5')));
    expect(dciodvfyErrors(file)).toEqual([]);

    const header = dsrdumpHeader(file);
    expect(header.get('Verification Flag')).toBe('VERIFIED');
    expect(header.get('Series')).toBe('Concord second-opinion report (amended 1) (#990)');
    const dump = execFileSync('dcmdump', ['+U8', '-q', file], { encoding: 'utf8' });
    const observers = topLevelSequence(dump, 'VerifyingObserverSequence');
    // One item per signer, in signing order, each with the reading institution (not the outside facility).
    expect([...observers.matchAll(/\(0040,a075\) PN \[([^\]]*)\]/g)].map((match) => match[1])).toEqual(['Maria Reader', 'Jon Second']);
    expect([...observers.matchAll(/\(0040,a027\) LO \[([^\]]*)\]/g)].map((match) => match[1])).toEqual(['Northside Breast Centre', 'Northside Breast Centre']);
    expect([...observers.matchAll(/\(0040,a030\) DT \[([^\]]*)\]/g)].map((match) => match[1])).toEqual(['20260314100500+0000', '20260320080000+0000']);
    expect(observers).not.toContain('Riverside Imaging');

    const items = dsrdumpItems(file);
    const sections = items.filter((item) => item.depth === 1 && item.valueType === 'CONTAINER').map((item) => item.concept);
    expect(sections).toEqual([
      'Request',
      'Current Procedure Descriptions',
      'Prior Procedure Descriptions',
      'Previous Findings',
      'Findings',
      'Impressions',
      'Recommendations',
      'Communication of Critical Results',
      'Addendum',
    ]);
    const addendum = items.findIndex((item) => item.depth === 1 && item.concept === 'Addendum');
    expect(items.slice(addendum + 1).map((item) => `${item.concept}=${item.value}`)).toEqual([
      'Observer Type=(121006,DCM,"Person")',
      'Person Observer Name="Jon Second"',
      'Finding="Pathology: invasive ductal carcinoma, grade 2."',
    ]);
    expect(items.find((item) => item.concept === 'Communication of Critical Results' && item.valueType === 'TEXT')?.value).toBe(
      // dsrdump prints the line break as "\n".
      '"Communicated to Dr Rita Referrer by phone on 2026-03-14 11:05 by Maria Reader.\\nNote: biopsy advised, appointment made"',
    );
    expect(items.some((item) => item.concept === 'Previous Finding' && item.value.includes('IMPRESSION: probably benign oval mass'))).toBe(true);
  });

  it('names a signer without a recorded institution as such, never the outside facility', () => {
    const context = amendedContext();
    context.report.addenda[0]!.signature.institution = '';
    const file = join(work, 'no-institution-sr.dcm');
    writeFileSync(file, buildReportSr(context, uids('6')));
    expect(dciodvfyErrors(file)).toEqual([]);
    const observers = topLevelSequence(execFileSync('dcmdump', ['+U8', '-q', file], { encoding: 'utf8' }), 'VerifyingObserverSequence');
    expect([...observers.matchAll(/\(0040,a027\) LO \[([^\]]*)\]/g)].map((match) => match[1])).toEqual(['Northside Breast Centre', 'Reading institution not recorded']);
  });

  it('marks a draft SR partial and unverified, without a verifying observer', () => {
    const file = join(work, 'draft-sr.dcm');
    writeFileSync(file, buildReportSr(exportContext(false), uids('2')));
    expect(dciodvfyErrors(file)).toEqual([]);
    const header = dsrdumpHeader(file);
    expect(header.get('Completion Flag')).toBe('PARTIAL');
    expect(header.get('Verification Flag')).toBe('UNVERIFIED');
    expect(dsrdumpItems(file).some((item) => item.concept === 'Person Observer Name')).toBe(false);
  });

  it('writes an Encapsulated PDF that dciodvfy accepts and that gives back the same PDF', async () => {
    const context = exportContext(true);
    const pdf = await buildReportPdf(context);
    const file = join(work, 'report-pdf.dcm');
    writeFileSync(file, buildEncapsulatedPdf(context, pdf, uids('3')));
    expect(dciodvfyErrors(file)).toEqual([]);
    const back = await encapsulatedPdfOf({ path: file, transferSyntaxUid: '1.2.840.10008.1.2.1' });
    expect(back?.equals(pdf)).toBe(true);
    expect(execFileSync('dcmdump', ['+U8', '-q', file], { encoding: 'utf8' })).toMatch(/\(0010,0010\) PN \[Reader\^Test\^\^Ms\]/);
  });

  it('prints the verdict, both assessments and the patient identifiers on every page of the PDF, and the same facts in the text export', async () => {
    const context = exportContext(true);
    const file = join(work, 'report.pdf');
    writeFileSync(file, await buildReportPdf(context));
    const pages = pdfPages(file);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    pages.forEach((page, index) => {
      expect(page).toContain('Reader, Ms Test');
      expect(page).toContain('ID PID-4711 (RIVERSIDE)');
      expect(page).toContain('born 1964-02-29');
      expect(page).toContain(`Page ${index + 1} of ${pages.length}`);
      expect(page).not.toContain('DRAFT');
    });
    // Every page renders (the pages were also looked at, rendered the same way, while writing this).
    const rendered = spawnSync('pdftoppm', ['-r', '30', '-png', file, join(work, 'page')], { encoding: 'utf8' });
    expect(rendered.status, rendered.stderr).toBe(0);
    expect(rendered.stderr).toBe('');
    const all = pages.join('\n');
    for (const fact of ['Major discordance', 'BI-RADS 3 - Probably benign', 'BI-RADS 4C - High suspicion for malignancy', 'RADPEER score: 2b', 'Signed by Maria Reader, MD, FRCR', 'L CC: spiculated mass']) {
      expect(all).toContain(fact);
    }

    const text = buildReportText(context);
    for (const fact of ['Major discordance', 'Outside assessment: BI-RADS 3 - Probably benign', 'Second-opinion assessment: BI-RADS 4C - High suspicion for malignancy', 'Reader, Ms Test', 'ID PID-4711 (RIVERSIDE)', 'born 1964-02-29', 'Signed by Maria Reader, MD, FRCR', 'Image 1: L CC: spiculated mass']) {
      expect(text).toContain(fact);
    }
  });

  it('prints the outside finding and text beside the second opinion, the communication, every signer and the amendment in the PDF', async () => {
    const file = join(work, 'amended.pdf');
    writeFileSync(file, await buildReportPdf(amendedContext()));
    const all = pdfPages(file).join('\n');
    expect(all).toContain('Second-opinion report (amended 1)');
    // The comparison table's Findings row: the outside finding, then ours (pdftotext joins "BI-RADS" where it breaks).
    expect(all).toMatch(/Findings\s+Left breast mass at 2 o'clock, 12 mm, BI-?\s*RADS 3\s+Left breast mass at 2 o'clock, 14 mm, BI-?\s*RADS 4C/);
    expect(all).toContain('Outside report text as recorded');
    expect(all).toContain("FINDINGS: 12 mm oval circumscribed mass, left breast, 2 o'clock.");
    expect(all).toContain('IMPRESSION: probably benign oval mass.');
    expect(all).toContain('Communication of the result');
    expect(all).toContain('Communicated to Dr Rita Referrer by phone on 2026-03-14 11:05 by Maria Reader.');
    expect(all).toContain('Note: biopsy advised, appointment made');
    // Every signer with the reading institution (lines joined: the signature wraps).
    const flat = all.replace(/\s+/g, ' ');
    expect(flat).toContain('Signed by Maria Reader, MD, FRCR - Consultant Breast Radiologist, Northside Breast Centre, 2026-03-14 10:05 UTC');
    expect(flat).toContain('Addendum signed by Jon Second, MD, Northside Breast Centre, 2026-03-20 08:00 UTC');

    // The text export says the same.
    const text = buildReportText(amendedContext());
    for (const fact of [
      'SECOND-OPINION REPORT (amended 1)',
      "- Left breast mass at 2 o'clock, 12 mm, BI-RADS 3",
      'IMPRESSION: probably benign oval mass.',
      'COMMUNICATION OF THE RESULT:\nCommunicated to Dr Rita Referrer by phone on 2026-03-14 11:05 by Maria Reader.',
      'Addendum signed by Jon Second, MD, Northside Breast Centre, 2026-03-20 08:00 UTC',
    ]) {
      expect(text).toContain(fact);
    }
  });

  it('never leaves the signature alone on a page, whatever the length of the report', async () => {
    // A long edited narrative, four lines longer each time: over a page's worth of lengths (about 55
    // lines), the signature block (five lines high) meets the bottom of a page at least once.
    for (let extra = 44; extra <= 100; extra += 4) {
      const context = amendedContext();
      context.keyImages = [];
      context.report.addenda = [];
      const opinion = context.report.content.secondOpinion;
      opinion.narrativeEdited = true;
      opinion.narrative = Array.from({ length: extra }, (_, index) => `Line ${index + 1} of the second opinion's findings.`).join('\n');
      const file = join(work, `long-${extra}.pdf`);
      writeFileSync(file, await buildReportPdf(context));
      const pages = pdfPages(file);
      const signaturePage = pages.find((page) => page.includes('Signed by Maria Reader')) ?? '';
      // The communication (the last section, two lines: all of it, heading included) shares the signature's page.
      expect(signaturePage, `${extra} lines`).toContain('Communication of the result');
      expect(signaturePage, `${extra} lines`).toContain('Note: biopsy advised, appointment made');
      expect(pages.at(-1), `${extra} lines`).toContain('Signed by Maria Reader');
    }
  });

  it('marks every page of an unsigned report as a draft', async () => {
    const file = join(work, 'draft.pdf');
    writeFileSync(file, await buildReportPdf(exportContext(false)));
    for (const page of pdfPages(file)) {
      expect(page).toContain('DRAFT - not signed');
    }
    expect(buildReportText(exportContext(false))).toContain('DRAFT - not signed');
  });
});

/**
 * The patient name of a corpus file as the corpus manifest records it (decoded from its character set;
 * dcmtk cannot convert the ISO 2022 Japanese files).
 */
function corpusPatientName(file: string): string {
  const [heading = '', ...rows] = readFileSync(corpus('06-dicomdir-charsets-clunie', 'MANIFEST.tsv'), 'utf8').split('\n');
  const column = heading.split('\t').indexOf('patient_name');
  const row = rows.map((line) => line.split('\t')).find((cells) => cells[0] === file);
  return row?.[column] ?? '';
}

describe.skipIf(!tools || !haveCorpus())('patient names in every character set of the corpus', () => {
  const files = ['SCSARAB', 'SCSFREN', 'SCSGERM', 'SCSGREEK', 'SCSH31', 'SCSH32', 'SCSHBRW', 'SCSI2', 'SCSRUSS', 'SCSX1', 'SCSX2'];

  it('has a font for every character of every name', () => {
    for (const file of files) {
      const name = corpusPatientName(file);
      expect(name.length, file).toBeGreaterThan(3);
      expect(textRuns(name).missing, file).toEqual([]);
    }
  });

  // [file, words the page must give back]; right-to-left words may come back in either direction.
  // [file, words the page must give back, a font that must be embedded for them].
  const cases: [string, string[], string][] = [
    ['SCSH31', ['Yamada', '山田', '太郎', 'やまだ', 'たろう'], 'NotoSansJP-Regular'],
    ['SCSGREEK', ['Διονυσιος'], 'NotoSans-Bold'],
    ['SCSHBRW', ['שרון', 'דבורה'], 'NotoSansHebrew-Bold'],
    ['SCSARAB', ['قباني', 'لنزار'], 'NotoNaskhArabic-Bold'],
    ['SCSI2', ['Hong', '洪', '吉洞', '홍', '길동'], 'NotoSansKR-Regular'],
    ['SCSX2', ['Wang', '王', '小东'], 'NotoSansHans-Regular'],
    ['SCSRUSS', ['Люкceмбypг'], 'NotoSans-Bold'],
  ];
  it.each(cases)('prints the name of %s with embedded fonts, as text pdftotext gives back', async (file, words, font) => {
    const pdfFile = join(work, `${file}.pdf`);
    writeFileSync(pdfFile, await buildReportPdf(exportContext(true, corpusPatientName(file))));
    const pages = pdfPages(pdfFile);
    for (const page of pages) {
      for (const word of words) {
        const reversed = [...word].reverse().join('');
        expect(page.includes(word) || page.includes(reversed), `${word} on a page of ${file}`).toBe(true);
      }
    }
    const fonts = execFileSync('pdffonts', [pdfFile], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(fonts.some((line) => line.includes(`+${font} `)), `${font} in\n${fonts.join('\n')}`).toBe(true);
    for (const font of fonts) {
      // name, type, encoding, then "emb sub uni" as yes/no.
      expect(font.split(/\s+/).slice(-5, -2), font).toEqual(['yes', 'yes', 'yes']);
    }
  });
});
