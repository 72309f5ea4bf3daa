import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveCorpus } from '../support/environment.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';
import { exampleReportContent, importReportsCorpus } from '../support/reports.ts';
import { callApi, startServe } from '../support/serve.ts';
import type { RunningHost } from '../support/serve.ts';

const present = haveCorpus();
let host: RunningHost;

beforeAll(async () => {
  if (!present) {
    return;
  }
  const library = tempDir();
  await importReportsCorpus(library);
  host = await startServe(library);
});

afterAll(async () => {
  await host?.stop();
  cleanupTempDirs();
});

type Study = { studyInstanceUid: string; studyDescription: string; reportStatus: string; verdict: string | null };
type ApiReport = { id: number; revision: number; status: string; content: { concordance: { proposed: string; confirmed: string | null } } };

describe.runIf(present)('report API over the browser host', () => {
  it('takes a report from creation through stale-save refusal, signing, communication and overview; the worklist follows', async () => {
    const studies = (await callApi(host, 'listStudies', {})).body.studies as Study[];
    expect(studies.every((s) => s.reportStatus === 'unread' && s.verdict === null)).toBe(true);
    const study = studies.find((s) => s.studyDescription === 'Coronarographie') as Study;

    const outside = (await callApi(host, 'listOutsideReports', { studyInstanceUid: study.studyInstanceUid })).body.documents as { kind: string; sopInstanceUid: string }[];
    expect(outside.map((d) => d.kind)).toEqual(['encapsulated-document']);
    // It opens beside the images as the document it is.
    const outsideDocument = await callApi(host, 'getDocument', { sopInstanceUid: outside[0]?.sopInstanceUid });
    expect(outsideDocument.status).toBe(200);
    expect((outsideDocument.body.document as { kind: string }).kind).toBe('pdf');

    const created = await callApi(host, 'createReport', { studyInstanceUid: study.studyInstanceUid });
    expect(created.status).toBe(200);
    const draft = created.body.report as ApiReport;
    expect(draft).toMatchObject({ status: 'draft', revision: 1, content: { concordance: { proposed: 'indeterminate', confirmed: null } } });
    expect((await callApi(host, 'createReport', { studyInstanceUid: study.studyInstanceUid })).status).toBe(409);
    expect((await callApi(host, 'createReport', { studyInstanceUid: study.studyInstanceUid, content: { outside: {} } })).status).toBe(400);

    const content = exampleReportContent();
    const saved = await callApi(host, 'saveDraft', { reportId: draft.id, revision: 1, content });
    expect(saved.status).toBe(200);
    expect(saved.body.revision).toBe(2);
    const stale = await callApi(host, 'saveDraft', { reportId: draft.id, revision: 1, content });
    expect(stale.status).toBe(409);
    expect((stale.body.error as { message: string }).message).toMatch(/saved meanwhile/);

    const png = Buffer.from('89504e470d0a1a0a', 'hex').toString('base64');
    const keyImage = { reportId: draft.id, sopInstanceUid: outside[0]?.sopInstanceUid, frame: null, caption: 'page 1', pngBase64: png };
    expect((await callApi(host, 'saveKeyImage', keyImage)).status).toBe(200);
    expect((await callApi(host, 'saveKeyImage', { ...keyImage, sopInstanceUid: '1.2.3' })).status).toBe(400);
    // Bytes that are not a PNG (here a GIF header) are refused, not embedded in the exports.
    const gif = await callApi(host, 'saveKeyImage', { ...keyImage, pngBase64: Buffer.from('GIF89a\x01\x00', 'latin1').toString('base64') });
    expect(gif.status).toBe(400);
    expect((gif.body.error as { message: string }).message).toMatch(/not a PNG/);

    expect((await callApi(host, 'signReport', { reportId: draft.id, profileId: 'dr-second' })).status).toBe(404);
    const profile = { id: 'dr-second', name: 'Dr. Second Reader', credentials: 'MD', signatureLine: 'Dr. Second Reader, MD' };
    expect((await callApi(host, 'saveReaderProfile', { profile })).body).toEqual({ profile });
    // Saved without a reading institution: listed with none recorded.
    expect((await callApi(host, 'listReaderProfiles', {})).body).toEqual({ profiles: [{ ...profile, institution: '' }] });
    const signed = await callApi(host, 'signReport', { reportId: draft.id, profileId: 'dr-second' });
    expect((signed.body.report as ApiReport).status).toBe('signed');
    expect((await callApi(host, 'saveDraft', { reportId: draft.id, revision: 2, content })).status).toBe(409);

    const listed = (await callApi(host, 'listReports', {})).body.reports as { communicationOutstanding: boolean }[];
    expect(listed).toEqual([expect.objectContaining({ id: draft.id, status: 'signed', verdict: 'major', communicationOutstanding: true })]);
    const communication = { to: 'Dr. Referrer', at: '2024-03-20T10:00', how: 'phone', by: 'Dr. Second Reader', note: '' };
    expect((await callApi(host, 'recordCommunication', { reportId: draft.id, communication })).status).toBe(200);
    expect((await callApi(host, 'getReport', { reportId: draft.id, profileId: 'nobody' })).status).toBe(404);
    const opened = await callApi(host, 'getReport', { reportId: draft.id, profileId: 'dr-second' });
    expect(opened.body.communicationOutstanding).toBe(false);
    const audit = opened.body.audit as { action: string; profileId: string | null }[];
    expect(audit.map((e) => e.action)).toEqual(['created', 'edited', 'key-image', 'signed', 'communication', 'opened']);
    // The reader at the screen is named where the page said who it is; signing always names the signer.
    expect(audit.map((e) => e.profileId)).toEqual([null, null, null, 'dr-second', null, 'dr-second']);

    const addendum = await callApi(host, 'addAddendum', { reportId: draft.id, profileId: 'dr-second', text: 'Biopsy scheduled.' });
    expect((addendum.body.report as ApiReport).status).toBe('amended');
    const outcome = { findingId: 'f-1', kind: 'pathology', result: 'benign', date: '20240401', note: 'fibroadenoma' };
    const withOutcome = await callApi(host, 'recordOutcome', { reportId: draft.id, outcome });
    expect((withOutcome.body.report as { outcomes: { supports: string }[] }).outcomes[0]?.supports).toBe('outside');

    const after = ((await callApi(host, 'listStudies', {})).body.studies as Study[]).find((s) => s.studyInstanceUid === study.studyInstanceUid);
    expect(after).toMatchObject({ reportStatus: 'amended', verdict: 'major' });

    const overview = await callApi(host, 'concordanceOverview', { groupBy: 'facility' });
    expect(overview.body.overview).toMatchObject({ all: { total: 1, major: 1 }, discordantOutcomes: { outside: 1 } });
    expect(overview.body.csv).toContain('facility,Lakeside Imaging Center,1,0,0,1');
    expect((await callApi(host, 'concordanceOverview', { groupBy: 'reader' })).status).toBe(400);

    // What was signed includes its key images.
    expect((await callApi(host, 'saveKeyImage', keyImage)).status).toBe(409);
    const exported = await callApi(host, 'exportReport', { reportId: draft.id, kinds: ['sr'], profileId: 'dr-second' });
    const [sr] = exported.body.exports as { kind: string; sopInstanceUid: string }[];
    expect(sr?.kind).toBe('sr');
    // The SR is part of the study now, and opens as a document like any SR in the library.
    const document = await callApi(host, 'getDocument', { sopInstanceUid: sr?.sopInstanceUid });
    expect(document.status).toBe(200);
    expect(JSON.stringify(document.body)).toContain('Irregular mass in the right breast');
  });
});
