import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../shared/api/client.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { API_METHODS, apiEventSchema } from '../../shared/api/schemas.ts';
import type { ApiMethod } from '../../shared/api/schemas.ts';
import { DEFAULT_HANGING_PREFERENCES } from '../../shared/hanging/protocol.ts';
import { FACTORY_PROTOCOLS } from '../../shared/hanging/protocols/index.ts';
import type { ReportContent } from '../../shared/reports/report-model.ts';
import { userProtocol } from '../support/hanging-protocol.ts';
import { exampleReportContent } from '../support/report-example.ts';

const protocol = userProtocol('my-cc');
const content = exampleReportContent() as ReportContent;
const profile = { id: 'dr-second', name: 'Dr. Second', credentials: 'MD', signatureLine: 'Dr. Second, MD' };
const communication = { to: 'Dr. Referrer', at: '2024-03-20T10:00', how: 'phone', by: 'Dr. Second', note: '' };
const outcome = { findingId: 'f-1', kind: 'pathology', result: 'malignant', date: '20240401', note: '' };

/** For every method: requests that must be accepted, and malformed ones that must be refused. */
const CASES: Record<ApiMethod, { valid: unknown[]; malformed: unknown[] }> = {
  startImport: {
    valid: [{ path: '/media/cdrom' }, { path: 'D:\\' }],
    malformed: [undefined, null, 'x', [], {}, { path: '' }, { path: 3 }, { path: 'a\0b' }, { path: 'x'.repeat(5000) }, { path: '/m', extra: 1 }],
  },
  cancelJob: {
    valid: [{ jobId: '0b7c9d1e-1111-2222-3333-444455556666' }],
    malformed: [{}, { jobId: '' }, { jobId: '../etc' }, { jobId: 'a b' }, { jobId: 7 }, { jobId: 'x'.repeat(65) }, { jobId: 'ok', more: true }],
  },
  getJob: {
    valid: [{ jobId: 'abc-123' }],
    malformed: [{}, { jobId: null }, { jobId: '<script>' }],
  },
  listJobs: {
    valid: [{}],
    malformed: [null, { all: true }, 'jobs'],
  },
  listImportOutcomes: {
    valid: [{ sessionId: 1 }, { sessionId: 2, problemsOnly: true, offset: 0, limit: 1000 }],
    malformed: [{}, { sessionId: 0 }, { sessionId: 1.5 }, { sessionId: '1' }, { sessionId: 1, limit: 0 }, { sessionId: 1, limit: 1001 }, { sessionId: 1, offset: -1 }, { sessionId: 1, problemsOnly: 'yes' }],
  },
  listStudies: {
    valid: [{}, { text: 'やまだ' }, { limit: 10 }, { dateFrom: '20200101', dateTo: '20201231', modality: 'MG' }],
    malformed: [
      { text: 5 }, { text: 'x'.repeat(300) }, { limit: 0 }, { limit: 'all' }, { order: 'date' },
      { dateFrom: '2020-01-01' }, { dateTo: '2020' }, { modality: 'mg; DROP' }, { modality: '' },
    ],
  },
  getStudy: {
    valid: [{ studyInstanceUid: '1.2.840.113619.2.55.3' }],
    malformed: [{}, { studyInstanceUid: '' }, { studyInstanceUid: '1.2.3; DROP TABLE' }, { studyInstanceUid: '1'.repeat(65) }, { studyInstanceUid: 1.2 }],
  },
  getDocument: {
    valid: [{ sopInstanceUid: '1.2.826.0.1.3680043.8.498.1' }],
    malformed: [{}, { sopInstanceUid: '' }, { sopInstanceUid: '../x' }, { sopInstanceUid: '1'.repeat(65) }, { sopInstanceUid: '1.2', page: 1 }],
  },
  listPatients: {
    valid: [{}],
    malformed: [null, { patientId: 1 }],
  },
  getPatient: {
    valid: [{ patientId: 1 }],
    malformed: [{}, { patientId: 0 }, { patientId: '1' }, { patientId: 1.5 }, { patientId: 1, all: true }],
  },
  listProposals: {
    valid: [{}, { propose: true }],
    malformed: [{ propose: 'yes' }, { status: 'open' }],
  },
  decideProposal: {
    valid: [{ proposalId: 3, decision: 'accept' }, { proposalId: 3, decision: 'reject' }],
    malformed: [{}, { proposalId: 3 }, { proposalId: 3, decision: 'merge' }, { proposalId: -1, decision: 'accept' }, { proposalId: 3, decision: 'accept', by: 'x' }],
  },
  undoLink: {
    valid: [{ patientId: 1, identityId: 2 }],
    malformed: [{}, { patientId: 1 }, { patientId: 1, identityId: 'A' }, { patientId: 1, identityId: 2, extra: 1 }],
  },
  listUnfiled: {
    valid: [{}],
    malformed: [null, { all: true }],
  },
  fileInstance: {
    valid: [
      { sopInstanceUid: '2.25.1', studyInstanceUid: '1.2.3' },
      { sopInstanceUid: '2.25.1', newStudy: true },
      { sopInstanceUid: '2.25.1', studyInstanceUid: '1.2.3', otherPatient: true },
    ],
    malformed: [
      {}, { sopInstanceUid: '2.25.1' }, { sopInstanceUid: '2.25.1', studyInstanceUid: '1.2.3', newStudy: true },
      { sopInstanceUid: '2.25.1', newStudy: false }, { sopInstanceUid: '../x', newStudy: true },
      { sopInstanceUid: '2.25.1', studyInstanceUid: '1.2; DROP' }, { sopInstanceUid: '2.25.1', newStudy: true, patient: 'x' },
    ],
  },
  getHanging: {
    valid: [
      { studyInstanceUid: '1.2.3' },
      { studyInstanceUid: '1.2.3', protocolId: 'mammo-screening', stage: 2, priorStudyInstanceUid: '1.2.4', priorRule: 'two-years' },
    ],
    malformed: [
      {}, { studyInstanceUid: '1.2; DROP' }, { studyInstanceUid: '1.2.3', stage: 0 }, { studyInstanceUid: '1.2.3', stage: 1.5 },
      { studyInstanceUid: '1.2.3', stage: 17 }, { studyInstanceUid: '1.2.3', protocolId: 'Has Spaces' },
      { studyInstanceUid: '1.2.3', priorStudyInstanceUid: 'x' }, { studyInstanceUid: '1.2.3', priorRule: 'newest' },
      { studyInstanceUid: '1.2.3', layout: 'x' },
    ],
  },
  listProtocols: {
    valid: [{}],
    malformed: [null, { level: 'user' }],
  },
  saveProtocol: {
    valid: [{ protocol }],
    malformed: [
      {}, { protocol: {} }, { protocol: { ...protocol, level: 'factory' } }, { protocol: { ...protocol, id: 'Bad Id' } },
      { protocol: { ...protocol, stages: [] } }, { protocol: { ...protocol, script: 'x' } }, { protocol, extra: 1 },
      { protocol: { ...protocol, name: 'x'.repeat(201) } },
      // A factory protocol's id cannot be taken by a user protocol.
      ...FACTORY_PROTOCOLS.map((factory) => ({ protocol: { ...protocol, id: factory.id } })),
    ],
  },
  deleteProtocol: {
    valid: [{ id: 'my-cc' }],
    malformed: [{}, { id: '' }, { id: '../x' }, { id: 'MY' }, { id: 'my-cc', all: true }],
  },
  reorderProtocols: {
    valid: [{ ids: [] }, { ids: ['b', 'a'] }],
    malformed: [{}, { ids: 'a' }, { ids: ['A'] }, { ids: [1] }, { ids: ['a'], extra: 1 }],
  },
  setHangingPreferences: {
    valid: [{ preferences: DEFAULT_HANGING_PREFERENCES }, { preferences: { stageOrder: { 'my-cc': ['cc-pair'] }, mammoOverviewOrder: 'cc-first', priorRow: 'bottom' } }],
    malformed: [
      {}, { preferences: {} }, { preferences: { ...DEFAULT_HANGING_PREFERENCES, priorRow: 'left' } },
      { preferences: { ...DEFAULT_HANGING_PREFERENCES, stageOrder: { 'Bad Key': [] } } },
      { preferences: { ...DEFAULT_HANGING_PREFERENCES, theme: 'dark' } },
    ],
  },
  chooseOrientation: {
    valid: [
      { sopInstanceUid: '2.25.1', chestWallSide: 'left', choice: 'flip' },
      { sopInstanceUid: '2.25.1', chestWallSide: 'right', choice: 'keep', profileId: 'dr-second' },
    ],
    malformed: [
      {}, { sopInstanceUid: '2.25.1', chestWallSide: 'left' }, { sopInstanceUid: '2.25.1', chestWallSide: 'top', choice: 'flip' },
      { sopInstanceUid: '2.25.1', chestWallSide: 'left', choice: 'rotate' }, { sopInstanceUid: 'x; DROP', chestWallSide: 'left', choice: 'keep' },
      { sopInstanceUid: '2.25.1', chestWallSide: 'left', choice: 'keep', extra: 1 },
    ],
  },
  getLibraryInfo: {
    valid: [{}],
    malformed: [{ root: '/' }, 1],
  },
  listVolumes: {
    valid: [{}],
    malformed: [{ path: '/' }, 1],
  },
  listFolder: {
    valid: [{ path: '/' }],
    malformed: [{}, { path: '' }, { path: ['/'] }, { path: '/\0' }],
  },
  listReports: {
    valid: [{}, { studyInstanceUid: '1.2.3' }],
    malformed: [{ studyInstanceUid: 'x' }, { studyInstanceUid: '' }, { status: 'draft' }],
  },
  getReport: {
    valid: [{ reportId: 1 }, { reportId: 1, profileId: 'dr-second' }],
    malformed: [{}, { reportId: 0 }, { reportId: 1.5 }, { reportId: '1' }, { reportId: 1, open: true }, { reportId: 1, profileId: null }],
  },
  createReport: {
    valid: [{ studyInstanceUid: '1.2.3' }, { studyInstanceUid: '1.2.3', content }],
    malformed: [
      {},
      { studyInstanceUid: '1.2.3', content: {} },
      { studyInstanceUid: '1.2.3', content: { ...content, extra: 1 } },
      { studyInstanceUid: '1.2.3', content: { ...content, secondOpinion: { ...content.secondOpinion, composition: 'e' } } },
      { studyInstanceUid: '1.2.3', content: { ...content, outside: { ...content.outside, freeText: 'x'.repeat(20001) } } },
    ],
  },
  saveDraft: {
    valid: [{ reportId: 3, revision: 7, content }, { reportId: 3, revision: 7, content, profileId: 'dr-second' }],
    malformed: [
      { reportId: 3, content },
      { reportId: 3, revision: 0, content },
      { reportId: 3, revision: 1, content, profileId: 'Dr Second' },
      { reportId: 3, revision: 1, content: { ...content, concordance: { ...content.concordance, confirmed: 'maybe' } } },
      { reportId: 3, revision: 1, content: { ...content, secondOpinion: { ...content.secondOpinion, assessment: { overall: '7', right: null, left: null } } } },
    ],
  },
  signReport: {
    valid: [{ reportId: 1, profileId: 'dr-second' }],
    malformed: [{ reportId: 1 }, { reportId: 1, profileId: 'Dr Second' }, { reportId: 1, profileId: '' }, { reportId: 1, profileId: 'a', at: 'now' }],
  },
  addAddendum: {
    valid: [{ reportId: 1, profileId: 'dr-second', text: 'Ultrasound correlate found.' }],
    malformed: [{ reportId: 1, profileId: 'dr-second', text: '' }, { reportId: 1, text: 'x' }, { reportId: 1, profileId: 'dr-second', text: 'x'.repeat(20001) }],
  },
  listReaderProfiles: {
    valid: [{}],
    malformed: [{ all: true }],
  },
  saveReaderProfile: {
    valid: [{ profile }],
    malformed: [{}, { profile: { ...profile, id: '../x' } }, { profile: { ...profile, name: '' } }, { profile: { ...profile, role: 'admin' } }],
  },
  recordCommunication: {
    valid: [{ reportId: 1, communication }],
    malformed: [
      { reportId: 1, communication: { ...communication, how: 'telepathy' } },
      { reportId: 1, communication: { ...communication, to: '' } },
      { reportId: 1, communication: { ...communication, by: undefined } },
    ],
  },
  recordOutcome: {
    valid: [{ reportId: 1, outcome }, { reportId: 1, outcome: { ...outcome, findingId: null, result: 'benign' } }],
    malformed: [
      { reportId: 1, outcome: { ...outcome, supports: 'outside' } },
      { reportId: 1, outcome: { ...outcome, result: 'cured' } },
      { reportId: 1, outcome: { ...outcome, date: '2024-04-01' } },
    ],
  },
  saveKeyImage: {
    valid: [{ reportId: 1, sopInstanceUid: '1.2.3', frame: null, caption: 'R CC', pngBase64: 'iVBORw0KGgo=' }],
    malformed: [
      { reportId: 1, sopInstanceUid: '1.2.3', frame: 0, caption: '', pngBase64: null },
      { reportId: 1, sopInstanceUid: '1.2.3', frame: null, caption: '', pngBase64: 'not base64!' },
      { reportId: 1, sopInstanceUid: 'x', frame: null, caption: '', pngBase64: null },
    ],
  },
  exportReport: {
    valid: [{ reportId: 1, kinds: ['sr'] }, { reportId: 1, kinds: ['sr', 'encapsulated-pdf'] }],
    malformed: [{ reportId: 1, kinds: [] }, { reportId: 1, kinds: ['pdf'] }, { reportId: 1 }],
  },
  listOutsideReports: {
    valid: [{ studyInstanceUid: '1.2.840.1' }],
    malformed: [{}, { studyInstanceUid: '1.2.x' }],
  },
  concordanceOverview: {
    valid: [{ groupBy: 'modality' }, { groupBy: 'facility' }, { groupBy: 'period' }],
    malformed: [{}, { groupBy: 'reader' }, { groupBy: 'period', format: 'csv' }],
  },
};

describe('API request schemas', () => {
  it('cover every method of the contract', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(API_METHODS).sort());
  });

  for (const [method, { valid, malformed }] of Object.entries(CASES) as [ApiMethod, (typeof CASES)[ApiMethod]][]) {
    it(`${method} accepts well-formed requests`, () => {
      for (const request of valid) {
        expect(API_METHODS[method].request.safeParse(request).success).toBe(true);
      }
    });
    it(`${method} rejects malformed requests`, () => {
      for (const request of malformed) {
        expect({ request, accepted: API_METHODS[method].request.safeParse(request).success }).toEqual({ request, accepted: false });
      }
    });
  }

  it('rejects events of unknown shape', () => {
    expect(apiEventSchema.safeParse({ type: 'library-changed' }).success).toBe(true);
    expect(apiEventSchema.safeParse({ type: 'job' }).success).toBe(false);
    expect(apiEventSchema.safeParse({ type: 'shell', command: 'rm -rf /' }).success).toBe(false);
  });
});

describe('API client', () => {
  it('refuses a malformed request before it reaches the transport', async () => {
    const calls: unknown[] = [];
    const api = createApiClient({ invoke: async (method, request) => calls.push([method, request]), subscribe: () => () => undefined });
    await expect(api.startImport({ path: '' })).rejects.toBeInstanceOf(ApiError);
    await expect(api.startImport({ path: '' })).rejects.toMatchObject({ code: 'bad-request' });
    expect(calls).toEqual([]);
  });

  it('refuses a response that does not match its schema', async () => {
    const api = createApiClient({ invoke: async () => ({ studies: [{ patientName: 1 }] }), subscribe: () => () => undefined });
    await expect(api.listStudies({})).rejects.toMatchObject({ code: 'internal', message: 'invalid listStudies response' });
  });

  it('passes only well-formed events to listeners', () => {
    let push: (event: unknown) => void = () => undefined;
    const api = createApiClient({ invoke: async () => ({}), subscribe: (listener) => ((push = listener), () => undefined) });
    const received: unknown[] = [];
    api.subscribe((event) => received.push(event));
    push({ type: 'library-changed' });
    push({ type: 'job', job: { id: 'x' } });
    push('garbage');
    expect(received).toEqual([{ type: 'library-changed' }]);
  });
});
