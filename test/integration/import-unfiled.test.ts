import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../shared/import/outcomes.ts';
import { libraryPaths } from '../../electron/services/library/paths.ts';
import { ObjectStore } from '../../electron/services/store/object-store.ts';
import { concord, concordJson } from '../support/cli.ts';
import { corpus, haveCorpus, haveTool } from '../support/environment.ts';
import { cleanupTempDirs, count, openIndex, tempDir } from '../support/library.ts';

afterAll(cleanupTempDirs);

const available = haveCorpus() && haveTool('dcmodify', 'dcmtk');
const CD = (): string => corpus('03-breast-patient-cd-mr-us-mimbcd');
const CD_IMAGE = (): string => corpus('03-breast-patient-cd-mr-us-mimbcd', 'IMAGES', 'IM10');

interface UnfiledEntry {
  sopInstanceUid: string;
  reason: string;
  patientId: string;
  patientName: string;
  studyInstanceUid: string | null;
  seriesInstanceUid: string | null;
  modality: string;
  importSessionId: number;
  source: string;
}

interface StudyEntry {
  studyInstanceUid: string;
  patientName: string;
  modalities: string[];
  seriesCount: number;
  instanceCount: number;
}

/** A copy of a CD image with the given attributes erased (-ea) and others set (-i): never the corpus file. */
function unfiledCopy(name: string, erase: string[], set: Record<string, string>): { folder: string; file: string } {
  const folder = tempDir();
  const file = join(folder, name);
  cpSync(CD_IMAGE(), file);
  const args = ['-nb'];
  for (const tag of erase) {
    args.push('-ea', tag);
  }
  for (const [tag, value] of Object.entries(set)) {
    args.push('-i', `${tag}=${value}`);
  }
  execFileSync('dcmodify', [...args, file], { stdio: 'ignore' });
  return { folder, file };
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function unfiledList(library: string): UnfiledEntry[] {
  return concordJson<{ unfiled: UnfiledEntry[] }>(['unfiled', '--library', library]).unfiled;
}

function studies(library: string): StudyEntry[] {
  return concordJson<{ studies: StudyEntry[] }>(['studies', '--library', library]).studies;
}

function fileJson(library: string, args: string[]): { status: number | null; body: Record<string, unknown> } {
  const result = concord(['file', ...args, '--library', library, '--json']);
  return { status: result.status, body: JSON.parse(result.stdout) as Record<string, unknown> };
}

describe.skipIf(!available)('unfiled instances', () => {
  it('stores an instance without Study Instance UID as unfiled, lists it, and files it into its series\' study', () => {
    const library = tempDir();
    concordJson(['import', CD(), '--library', library]);
    const mri = studies(library).find((s) => s.modalities.includes('MR')) as StudyEntry;
    const us = studies(library).find((s) => s.modalities.includes('US')) as StudyEntry;
    expect(mri.instanceCount).toBe(144);

    const sop = '2.25.101010101010101010101';
    const { folder, file } = unfiledCopy('NOSTUDY', ['(0020,000D)'], { '(0008,0018)': sop });
    const sourceHash = sha256(file);
    const summary = concordJson<ImportSummary>(['import', folder, '--library', library]);
    expect(summary.status).toBe('completed');
    expect(summary.counts).toMatchObject({ unfiled: 1, imported: 0, unreadable: 0 });
    expect(summary.problems).toEqual([]);
    expect(summary.unfiled).toHaveLength(1);
    expect(summary.unfiled[0]).toMatchObject({ path: 'NOSTUDY', outcome: 'unfiled', sopInstanceUid: sop });
    expect(summary.unfiled[0]?.reason).toMatch(/no Study Instance UID \(0020,000D\)/);
    expect(summary.bytesImported).toBe(readFileSync(file).length);

    // Stored byte for byte: the store object is the source file.
    const db = openIndex(library);
    const row = db.prepare('SELECT store_key AS key FROM unfiled_instances WHERE sop_instance_uid = ?').get(sop) as { key: string };
    db.close();
    expect(row.key).toBe(sourceHash);
    expect(sha256(new ObjectStore(libraryPaths(library).store).objectPath(row.key))).toBe(sourceHash);

    const listed = unfiledList(library);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      sopInstanceUid: sop,
      patientName: 'Anonymized33',
      studyInstanceUid: null,
      modality: 'MR',
      importSessionId: summary.sessionId,
      source: 'NOSTUDY',
    });
    expect(listed[0]?.seriesInstanceUid).toMatch(/^[0-9.]+$/);
    expect(concord(['unfiled', '--library', library]).stdout).toContain(sop);
    expect(concordJson<{ ok: boolean; unfiledChecked: number; orphans: string[] }>(['verify', '--library', library])).toMatchObject({
      ok: true, unfiledChecked: 1, orphans: [],
    });

    // Importing it again: already present, nothing new stored.
    const again = concordJson<ImportSummary>(['import', folder, '--library', library]);
    expect(again.counts).toMatchObject({ 'already-present': 1, unfiled: 0, conflict: 0 });

    // Refused: a new study (its series is in the MRI study), an unknown study, a study its series is not in.
    expect(fileJson(library, [sop, '--new-study'])).toMatchObject({ status: 1, body: { error: { code: 'contradicts-file' } } });
    expect(fileJson(library, [sop, '--study', '1.2.3.4'])).toMatchObject({ status: 1, body: { error: { code: 'unknown-study' } } });
    expect(fileJson(library, [sop, '--study', us.studyInstanceUid])).toMatchObject({ status: 1, body: { error: { code: 'contradicts-file' } } });
    expect(fileJson(library, ['2.25.999', '--study', mri.studyInstanceUid])).toMatchObject({ status: 1, body: { error: { code: 'unknown-instance' } } });
    expect(unfiledList(library)).toHaveLength(1);
    const usage = concord(['file', sop, '--library', library]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/either --study/);

    const filed = fileJson(library, [sop, '--study', mri.studyInstanceUid]);
    expect(filed.status).toBe(0);
    expect(filed.body.filed).toMatchObject({
      sopInstanceUid: sop, studyInstanceUid: mri.studyInstanceUid, studyCreated: false, seriesCreated: false,
      studyUidGenerated: false, seriesUidGenerated: false, otherPatientConfirmed: false,
    });
    expect(studies(library).find((s) => s.studyInstanceUid === mri.studyInstanceUid)?.instanceCount).toBe(145);
    expect(unfiledList(library)).toEqual([]);
    expect(fileJson(library, [sop, '--study', mri.studyInstanceUid])).toMatchObject({ status: 1, body: { error: { code: 'not-unfiled' } } });

    const index = openIndex(library);
    try {
      const filing = index.prepare('SELECT * FROM instance_filings WHERE sop_instance_uid = ?').get(sop) as Record<string, unknown>;
      expect(filing).toMatchObject({ received_study_instance_uid: null, study_instance_uid: mri.studyInstanceUid, filed_via: 'command line' });
      expect(String(filing.filed_by)).not.toBe('');
      expect(Date.parse(String(filing.filed_at))).not.toBeNaN();
      // The index keeps the attributes as received: the file had no Study Instance UID.
      const original = index.prepare('SELECT original_attributes AS a, store_key AS key FROM instances WHERE sop_instance_uid = ?').get(sop) as {
        a: string; key: string;
      };
      expect(JSON.parse(original.a).studyInstanceUid).toBe('');
      expect(original.key).toBe(sourceHash);
    } finally {
      index.close();
    }
    expect(sha256(new ObjectStore(libraryPaths(library).store).objectPath(sourceHash))).toBe(sourceHash);
    expect(concordJson<{ ok: boolean; unfiledChecked: number; orphans: string[] }>(['verify', '--library', library])).toMatchObject({
      ok: true, unfiledChecked: 0, orphans: [],
    });
    // Filed, it is still the same instance: importing the file again finds it present.
    expect(concordJson<ImportSummary>(['import', folder, '--library', library]).counts).toMatchObject({ 'already-present': 1 });
  });

  it('files an instance without study and series into a new study with UIDs made under 2.25', () => {
    const library = tempDir();
    const sop = '2.25.202020202020202020202';
    const { folder } = unfiledCopy('NOTHING', ['(0020,000D)', '(0020,000E)'], { '(0008,0018)': sop });
    const summary = concordJson<ImportSummary>(['import', folder, '--library', library]);
    expect(summary.counts).toMatchObject({ unfiled: 1 });
    expect(summary.unfiled[0]?.reason).toMatch(/no Study Instance UID \(0020,000D\) and no Series Instance UID \(0020,000E\)/);
    expect(unfiledList(library)[0]).toMatchObject({ studyInstanceUid: null, seriesInstanceUid: null });
    expect(studies(library)).toEqual([]);

    const filed = fileJson(library, [sop, '--new-study']);
    expect(filed.status).toBe(0);
    const result = filed.body.filed as Record<string, unknown>;
    expect(result).toMatchObject({ studyCreated: true, studyUidGenerated: true, seriesCreated: true, seriesUidGenerated: true });
    expect(result.studyInstanceUid).toMatch(/^2\.25\.[1-9][0-9]*$/);
    expect(result.seriesInstanceUid).toMatch(/^2\.25\.[1-9][0-9]*$/);
    expect(String(result.studyInstanceUid).length).toBeLessThanOrEqual(64);
    expect(result.studyInstanceUid).not.toBe(result.seriesInstanceUid);
    const listed = studies(library);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ studyInstanceUid: result.studyInstanceUid, patientName: 'Anonymized33', instanceCount: 1 });
    expect(unfiledList(library)).toEqual([]);
    const db = openIndex(library);
    try {
      expect(count(db, 'SELECT count(*) AS n FROM instance_filings WHERE study_uid_generated = 1 AND series_uid_generated = 1 AND study_created = 1')).toBe(1);
    } finally {
      db.close();
    }
    expect(concordJson<{ ok: boolean }>(['verify', '--library', library]).ok).toBe(true);
  });

  it('refuses a study of another patient identity unless confirmed', () => {
    const library = tempDir();
    concordJson(['import', CD(), '--library', library]);
    const mri = studies(library).find((s) => s.modalities.includes('MR')) as StudyEntry;
    const sop = '2.25.303030303030303030303';
    const { folder } = unfiledCopy('OTHER', ['(0020,000D)', '(0020,000E)'], { '(0008,0018)': sop, '(0010,0010)': 'OTHER^WOMAN' });
    concordJson(['import', folder, '--library', library]);
    const refused = fileJson(library, [sop, '--study', mri.studyInstanceUid]);
    expect(refused).toMatchObject({ status: 1, body: { error: { code: 'other-patient' } } });
    expect(String((refused.body.error as { message: string }).message)).toMatch(/another patient identity.*OTHER\^WOMAN/);
    expect(unfiledList(library)).toHaveLength(1);
    const confirmed = fileJson(library, [sop, '--study', mri.studyInstanceUid, '--other-patient']);
    expect(confirmed).toMatchObject({ status: 0, body: { filed: { otherPatientConfirmed: true, seriesCreated: true } } });
    expect(studies(library).find((s) => s.studyInstanceUid === mri.studyInstanceUid)).toMatchObject({ instanceCount: 145, seriesCount: 2 });
    const db = openIndex(library);
    try {
      expect(count(db, 'SELECT count(*) AS n FROM instance_filings WHERE other_patient_confirmed = 1')).toBe(1);
      expect(count(db, "SELECT count(*) AS n FROM patients WHERE patient_name = 'OTHER^WOMAN'")).toBe(0);
    } finally {
      db.close();
    }
  });

  it('is crash-safe like any instance: a kill after the store rename leaves nothing behind once imported again', () => {
    const library = tempDir();
    const sop = '2.25.707070707070707070707';
    const { folder, file } = unfiledCopy('CRASH', ['(0020,000D)'], { '(0008,0018)': sop });
    const crashed = concord(['import', folder, '--library', library, '--json'], { CONCORD_TEST_CRASH_AT: 'after-publish:1' });
    expect(crashed.signal).toBe('SIGKILL');
    const before = concord(['verify', '--library', library, '--json']);
    expect(before.status).toBe(1);
    expect(JSON.parse(before.stdout)).toMatchObject({ ok: false, journalEntries: 1, unfiledChecked: 0 });
    // Rows never committed: not listed.
    expect(unfiledList(library)).toEqual([]);
    const rerun = concordJson<ImportSummary>(['import', folder, '--library', library]);
    expect(rerun.counts).toMatchObject({ unfiled: 1 });
    expect(concordJson<Record<string, unknown>>(['verify', '--library', library])).toMatchObject({
      ok: true, unfiledChecked: 1, orphans: [], temporaries: [], journalEntries: 0,
    });
    expect(unfiledList(library).map((u) => u.sopInstanceUid)).toEqual([sop]);
    const db = openIndex(library);
    const key = (db.prepare('SELECT store_key AS key FROM unfiled_instances').get() as { key: string }).key;
    db.close();
    expect(key).toBe(sha256(file));
  });

  it('is stored the same way when the importer reads on its own thread (no reader threads)', () => {
    const library = tempDir();
    const sop = '2.25.808080808080808080808';
    const { folder, file } = unfiledCopy('HERE', ['(0020,000E)'], { '(0008,0018)': sop });
    const summary = concordJson<ImportSummary>(['import', folder, '--library', library], { CONCORD_IMPORT_READERS: '0' });
    expect(summary.counts).toMatchObject({ unfiled: 1 });
    expect(summary.unfiled[0]?.reason).toMatch(/^no Series Instance UID \(0020,000E\)/);
    const listed = unfiledList(library);
    expect(listed[0]).toMatchObject({ sopInstanceUid: sop, seriesInstanceUid: null });
    expect(listed[0]?.studyInstanceUid).toMatch(/^[0-9.]+$/);
    const db = openIndex(library);
    const key = (db.prepare('SELECT store_key AS key FROM unfiled_instances').get() as { key: string }).key;
    db.close();
    expect(sha256(new ObjectStore(libraryPaths(library).store).objectPath(key))).toBe(sha256(file));
    // Its file names its study, which is not in the library: --new-study takes that UID, not an invented one.
    const filed = fileJson(library, [sop, '--new-study']);
    expect(filed).toMatchObject({
      status: 0,
      body: { filed: { studyInstanceUid: listed[0]?.studyInstanceUid, studyUidGenerated: false, seriesUidGenerated: true } },
    });
  });

  it('keeps an instance with neither study nor SOP Instance UID a problem: it cannot be identified', () => {
    const library = tempDir();
    const { folder } = unfiledCopy('NOID', ['(0020,000D)', '(0008,0018)'], {});
    const summary = concordJson<ImportSummary>(['import', folder, '--library', library]);
    expect(summary.counts).toMatchObject({ unfiled: 0, 'no-sop-instance-uid': 1 });
    expect(unfiledList(library)).toEqual([]);
  });
});
