import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concord, concordJson } from '../support/cli.ts';
import { corpus, haveCorpus } from '../support/environment.ts';
import { cleanupTempDirs, count, openIndex, tempDir } from '../support/library.ts';
import { readOnlyRunner, runReadOnly, spawnReadOnly } from '../support/read-only-library.ts';
import type { ReadOnlyRunner } from '../support/read-only-library.ts';
import { exampleReportPath, importReportsCorpus } from '../support/reports.ts';
import { callApi, startServe } from '../support/serve.ts';

const present = haveCorpus();
let library: string;
let reportId: number;
let studyUid: string;
let otherStudyUid: string;
let auditEvents: number;
let runner: ReadOnlyRunner;

/** What every refusal must say: the folder, and that it is read-only (not SQLite's bare words). */
function expectReadOnlyRefusal(text: string): void {
  expect(text).toContain(`The library at ${library} is read-only:`);
  expect(text).toMatch(/read-only file system|may not be written by this user/);
  expect(text).not.toMatch(/attempt to write a readonly database/);
}

beforeAll(async () => {
  if (!present) {
    return;
  }
  library = join(tempDir(), 'library');
  await importReportsCorpus(library);
  const { studies } = concordJson<{ studies: { studyInstanceUid: string; studyDescription: string }[] }>(['studies', '--library', library]);
  studyUid = studies.find((s) => s.studyDescription === 'Bilateral Mammography')?.studyInstanceUid as string;
  otherStudyUid = studies.find((s) => s.studyInstanceUid !== studyUid)?.studyInstanceUid as string;
  const created = concord(['report', 'create', '--study', studyUid, '--from', exampleReportPath, '--library', library]);
  expect(created.status).toBe(0);
  reportId = Number(created.stdout.trim());
  expect(concord(['readers', 'add', '--id', 'dr-second', '--name', 'Dr. Second Reader', '--library', library]).status).toBe(0);
  const db = openIndex(library);
  auditEvents = count(db, 'SELECT count(*) AS n FROM audit_events');
  db.close();
  runner = readOnlyRunner(library);
});

afterAll(() => {
  // The write bits come back so the temporary folder can be removed.
  if (library) {
    spawnSync('chmod', ['-R', 'u+w', library]);
  }
  cleanupTempDirs();
});

describe.runIf(present)('a read-only library', () => {
  it('opens for viewing on the command line and says so; showing a report is not audited, with a note', () => {
    const studies = runReadOnly(runner, ['studies', '--library', library, '--json']);
    expect(studies.status).toBe(0);
    expect(studies.stderr).toContain(`note: the library at ${library} is read-only`);
    expect((JSON.parse(studies.stdout) as { studies: unknown[] }).studies).toHaveLength(7);

    const shown = runReadOnly(runner, ['report', 'show', String(reportId), '--library', library, '--json']);
    expect(shown.status).toBe(0);
    const body = JSON.parse(shown.stdout) as { report: { id: number; studyInstanceUid: string }; auditNote: string };
    expect(body.report).toMatchObject({ id: reportId, studyInstanceUid: studyUid });
    expect(body.auditNote).toMatch(/not in the audit trail: the library is read-only/);
    expect(shown.stderr).toContain(body.auditNote);

    const hung = runReadOnly(runner, ['hang', studyUid, '--library', library, '--json']);
    expect(hung.status).toBe(0);

    const db = openIndex(library);
    expect(count(db, 'SELECT count(*) AS n FROM audit_events')).toBe(auditEvents);
    db.close();
  });

  it('refuses every write on the command line naming the folder and the reason', () => {
    const imported = runReadOnly(runner, ['import', corpus('07-reports-sr-pdf'), '--library', library, '--json']);
    expect(imported.status).toBe(1);
    const answer = JSON.parse(imported.stdout) as { error: { code: string; message: string } };
    expect(answer.error.code).toBe('read-only');
    expectReadOnlyRefusal(answer.error.message);
    expectReadOnlyRefusal(imported.stderr);

    const writes: string[][] = [
      ['readers', 'add', '--id', 'dr-ro', '--name', 'Dr. Read Only'],
      ['report', 'sign', String(reportId), '--reader', 'dr-second'],
      ['report', 'create', '--study', otherStudyUid, '--from', exampleReportPath],
    ];
    for (const args of writes) {
      const refused = runReadOnly(runner, [...args, '--library', library]);
      expect({ args, status: refused.status }).toEqual({ args, status: 1 });
      expectReadOnlyRefusal(refused.stderr);
    }
    const db = openIndex(library);
    expect(count(db, 'SELECT count(*) AS n FROM audit_events')).toBe(auditEvents);
    expect(count(db, 'SELECT count(*) AS n FROM import_sessions')).toBe(1);
    db.close();
  });

  it('is served for viewing: the API says it is read-only, lists, hangs and shows reports, and refuses writes by name', async () => {
    const host = await startServe(library, [], (args) => spawnReadOnly(runner, args));
    try {
      const info = await callApi(host, 'getLibraryInfo', {});
      expect(info.status).toBe(200);
      expect(info.body).toMatchObject({ root: library, readOnly: expect.stringMatching(/read-only file system|may not be written/) });
      const listed = await callApi(host, 'listStudies', {});
      expect((listed.body.studies as unknown[]).length).toBe(7);
      expect((await callApi(host, 'getHanging', { studyInstanceUid: studyUid })).status).toBe(200);

      const opened = await callApi(host, 'getReport', { reportId });
      expect(opened.status).toBe(200);
      expect(opened.body.auditNote).toMatch(/not in the audit trail/);
      const content = (opened.body.report as { content: unknown }).content;

      const refusals = [
        await callApi(host, 'saveDraft', { reportId, revision: 1, content }),
        await callApi(host, 'startImport', { path: corpus('07-reports-sr-pdf') }),
        await callApi(host, 'saveReaderProfile', { profile: { id: 'dr-ro', name: 'Dr. Read Only', credentials: '', signatureLine: 'Dr. Read Only' } }),
        await callApi(host, 'signReport', { reportId, profileId: 'dr-second' }),
        await callApi(host, 'createReport', { studyInstanceUid: otherStudyUid }),
      ];
      for (const refused of refusals) {
        expect(refused.status).toBe(409);
        const error = refused.body.error as { code: string; message: string };
        expect(error.code).toBe('read-only');
        expectReadOnlyRefusal(error.message);
      }
    } finally {
      await host.stop();
    }
    const db = openIndex(library);
    expect(count(db, 'SELECT count(*) AS n FROM audit_events')).toBe(auditEvents);
    db.close();
  });
});
