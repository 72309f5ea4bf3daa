import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLibrary } from '../../electron/services/library/database.ts';
import type { Library } from '../../electron/services/library/database.ts';
import { listAudit } from '../../electron/services/reports/audit.ts';
import type { Actor } from '../../electron/services/reports/audit.ts';
import { saveReaderProfile } from '../../electron/services/reports/reader-profiles.ts';
import {
  ReportError, addAddendum, createReport, getReport, listReports, openReport, recordCommunication, recordOutcome, saveDraft, signReport,
} from '../../electron/services/reports/report-store.ts';
import { listStudies } from '../../electron/services/library/studies.ts';
import type { ReportContent } from '../../shared/reports/report-model.ts';
import { haveCorpus } from '../support/environment.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';
import { exampleReportContent, importReportsCorpus } from '../support/reports.ts';

const present = haveCorpus();
const actor: Actor = { osUser: 'tester', profileId: null };
let library: Library;
let studyUids: string[];

beforeAll(async () => {
  if (!present) {
    return;
  }
  const root = tempDir();
  await importReportsCorpus(root);
  library = openLibrary(root);
  studyUids = listStudies(library.db).map((s) => s.studyInstanceUid);
  saveReaderProfile(library.db, { id: 'dr-second', name: 'Dr. Second Reader', credentials: 'MD', signatureLine: 'Dr. Second Reader, MD, breast imaging' }, actor);
});

afterAll(() => {
  library?.close();
  cleanupTempDirs();
});

function errorOf(action: () => unknown): ReportError {
  try {
    action();
  } catch (error) {
    if (error instanceof ReportError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a ReportError');
}

describe.runIf(present)('report lifecycle in the library', () => {
  it('creates a draft, saves revisions, refuses a stale one and recomputes the proposal on every save', () => {
    const study = studyUids[0] as string;
    const id = createReport(library.db, study, undefined, actor);
    const empty = getReport(library.db, id);
    expect(empty.status).toBe('draft');
    expect(empty.revision).toBe(1);
    expect(empty.content.concordance.proposed).toBe('indeterminate');
    expect(errorOf(() => createReport(library.db, study, undefined, actor)).code).toBe('conflict');

    const example = exampleReportContent() as ReportContent;
    // The proposal is Concord's, whatever the saved JSON claims.
    const claimed = { ...example, concordance: { ...example.concordance, proposed: 'concordant', rules: [] } };
    const saved = saveDraft(library.db, { reportId: id, revision: 1, content: claimed }, actor);
    expect(saved.revision).toBe(2);
    expect(saved.content.concordance.proposed).toBe('major');
    expect(saved.content.concordance.rules.map((r) => r.rule)).toContain('biopsy-threshold');

    const stale = errorOf(() => saveDraft(library.db, { reportId: id, revision: 1, content: example }, actor));
    expect(stale.code).toBe('conflict');
    expect(stale.message).toMatch(/saved meanwhile \(revision 2/);
    expect(getReport(library.db, id).revision).toBe(2);

    const malformed = errorOf(() => saveDraft(library.db, { reportId: id, revision: 2, content: { ...example, secondOpinion: { ...example.secondOpinion, composition: 'e' } } }, actor));
    expect(malformed.code).toBe('bad-request');
    expect(malformed.message).toMatch(/secondOpinion\.composition/);

    const [summary] = listReports(library.db, { studyInstanceUid: study });
    expect(summary).toMatchObject({ id, status: 'draft', verdict: 'major', proposedVerdict: 'major', outsideAssessment: '3', secondOpinionAssessment: '4B' });
    expect(listStudies(library.db).find((s) => s.studyInstanceUid === study)).toMatchObject({ reportStatus: 'draft', verdict: 'major' });
  });

  it('signs only a confirmed verdict, then locks the content in the service and in SQL', () => {
    const study = studyUids[1] as string;
    const example = exampleReportContent() as ReportContent;
    const id = createReport(library.db, study, { ...example, concordance: { ...example.concordance, confirmed: null } }, actor);
    expect(errorOf(() => signReport(library.db, { reportId: id, profileId: 'dr-second' }, actor)).message).toMatch(/verdict is not confirmed/);
    expect(errorOf(() => signReport(library.db, { reportId: id, profileId: 'nobody' }, actor)).code).toBe('conflict');
    expect(errorOf(() => recordOutcome(library.db, id, { findingId: null, kind: 'clinical', result: 'benign', date: '', note: '' }, actor)).message)
      .toMatch(/is a draft: an outcome is recorded against the signed report/);
    saveDraft(library.db, { reportId: id, revision: 1, content: example }, actor);
    expect(errorOf(() => signReport(library.db, { reportId: id, profileId: 'nobody' }, actor)).code).toBe('not-found');

    const signed = signReport(library.db, { reportId: id, profileId: 'dr-second' }, actor);
    expect(signed.status).toBe('signed');
    expect(signed.signature).toMatchObject({ profileId: 'dr-second', name: 'Dr. Second Reader', credentials: 'MD' });
    const before = library.db.prepare('SELECT content, revision FROM reports WHERE id = ?').get(id);

    expect(errorOf(() => saveDraft(library.db, { reportId: id, revision: 2, content: example }, actor)).code).toBe('conflict');
    expect(() => library.db.prepare("UPDATE reports SET content = json_set(content, '$.secondOpinion.impression', 'changed') WHERE id = ?").run(id))
      .toThrow(/signed report's content never changes/);
    expect(() => library.db.prepare("UPDATE reports SET status = 'draft' WHERE id = ?").run(id)).toThrow(/never changes/);
    expect(() => library.db.prepare('DELETE FROM reports WHERE id = ?').run(id)).toThrow(/never deleted/);
    expect(library.db.prepare('SELECT content, revision FROM reports WHERE id = ?').get(id)).toEqual(before);

    // The major discordance's communication is outstanding until documented.
    expect(listReports(library.db, { studyInstanceUid: study })[0]?.communicationOutstanding).toBe(true);
    recordCommunication(library.db, id, { to: 'Dr. Referrer', at: '2024-03-20T10:00', how: 'phone', by: 'Dr. Second Reader', note: 'biopsy advised' }, actor);
    expect(listReports(library.db, { studyInstanceUid: study })[0]?.communicationOutstanding).toBe(false);

    // Later changes are addenda, each signed; the report is then amended.
    expect(errorOf(() => addAddendum(library.db, { reportId: id, profileId: 'nobody', text: 'x' }, actor)).code).toBe('not-found');
    const amended = addAddendum(library.db, { reportId: id, profileId: 'dr-second', text: 'Ultrasound confirms a 9 mm irregular mass.' }, actor);
    expect(amended.status).toBe('amended');
    expect(amended.addenda).toHaveLength(1);
    expect(amended.addenda[0]?.signature).toMatchObject({ profileId: 'dr-second' });
    expect(amended.content).toEqual(signed.content);
    expect(() => library.db.prepare("UPDATE report_addenda SET text = 'rewritten'").run()).toThrow(/never changed/);
    expect(() => library.db.prepare('DELETE FROM report_addenda').run()).toThrow(/addendum is never deleted/);
    expect(() => library.db.prepare('DELETE FROM report_signatures').run()).toThrow(/signatures are never deleted/);
    expect(listReports(library.db, { studyInstanceUid: study })[0]?.status).toBe('amended');

    // Outcomes per finding say which reading they supported.
    const withOutcome = recordOutcome(library.db, id, { findingId: 'f-1', kind: 'pathology', result: 'malignant', date: '20240401', note: 'IDC grade 2' }, actor);
    expect(withOutcome.outcomes[0]?.supports).toBe('second-opinion');
    expect(errorOf(() => recordOutcome(library.db, id, { findingId: 'nope', kind: 'pathology', result: 'benign', date: '', note: '' }, actor)).code).toBe('bad-request');

    openReport(library.db, id, { osUser: 'tester', profileId: 'dr-second' });
    const actions = listAudit(library.db, id).map((event) => event.action);
    expect(actions).toEqual(['created', 'edited', 'signed', 'communication', 'addendum', 'outcome', 'opened']);
    expect(listAudit(library.db, id).every((event) => event.osUser === 'tester')).toBe(true);
    expect(listAudit(library.db, id).find((event) => event.action === 'signed')?.profileId).toBe('dr-second');
    expect(() => library.db.prepare('DELETE FROM audit_events').run()).toThrow(/audit trail is never changed/);
    expect(listStudies(library.db).find((s) => s.studyInstanceUid === study)).toMatchObject({ reportStatus: 'amended', verdict: 'major' });
  });

  it('refuses the save of a second connection that edited an older revision (two windows on one library)', () => {
    const study = studyUids[2] as string;
    const id = createReport(library.db, study, exampleReportContent(), actor);
    const other = openLibrary(library.paths.root);
    try {
      const seenHere = getReport(library.db, id);
      const seenThere = getReport(other.db, id);
      saveDraft(other.db, { reportId: id, revision: seenThere.revision, content: seenThere.content }, actor);
      const refused = errorOf(() => saveDraft(library.db, { reportId: id, revision: seenHere.revision, content: seenHere.content }, actor));
      expect(refused.code).toBe('conflict');
      expect(getReport(library.db, id).revision).toBe(2);
    } finally {
      other.close();
    }
  });

  it('lists an unread study as unread with no verdict', () => {
    const unread = listStudies(library.db).filter((s) => s.reportStatus === 'unread');
    expect(unread.length).toBe(studyUids.length - 3);
    expect(unread.every((s) => s.verdict === null)).toBe(true);
  });
});
