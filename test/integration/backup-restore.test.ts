import { once } from 'node:events';
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportProgress } from '../../shared/import/outcomes.ts';
import { concord, concordJson, onProgressLines, spawnConcord } from '../support/cli.ts';
import { corpus, haveCorpus } from '../support/environment.ts';
import { cleanupTempDirs, count, openIndex, tempDir } from '../support/library.ts';
import { exampleReportPath } from '../support/report-example.ts';

afterAll(cleanupTempDirs);

const available = haveCorpus();
const CD = corpus('03-breast-patient-cd-mr-us-mimbcd');

interface BackupJson {
  snapshotAt: string;
  contents: { studies: number; instances: number; signedReports: number };
  objects: { listed: number; copied: number; alreadyPresent: number; bytesCopied: number; removed: number };
  importsRunning: number;
}

interface RestoreJson {
  contents: { studies: number; instances: number; signedReports: number };
  objects: { copied: number; alreadyPresent: number };
  signaturesLost: { studyInstanceUid: string; kind: string; signedBy: string }[];
  setAside: { folder: string; index: boolean; objects: number } | null;
  verify: { ok: boolean };
}

function studyUids(library: string): string[] {
  return concordJson<{ studies: { studyInstanceUid: string }[] }>(['studies', '--library', library]).studies.map((s) => s.studyInstanceUid).sort();
}

/** The study UIDs a backup's index lists, read as an outside checker would (the backup is not opened as a library). */
function indexedStudyUids(folder: string): string[] {
  const db = openIndex(folder);
  try {
    return (db.prepare('SELECT study_instance_uid AS uid FROM studies').all() as { uid: string }[]).map((r) => r.uid).sort();
  } finally {
    db.close();
  }
}

function indexedInstances(folder: string): number {
  const db = openIndex(folder);
  try {
    return count(db, 'SELECT count(*) AS n FROM instances');
  } finally {
    db.close();
  }
}

function storedObjects(folder: string): Map<string, number> {
  const objects = join(folder, 'store', 'objects');
  const found = new Map<string, number>();
  for (const shard of readdirSync(objects)) {
    for (const name of readdirSync(join(objects, shard))) {
      found.set(name, statSync(join(objects, shard, name)).size);
    }
  }
  return found;
}

function verifyOk(library: string): void {
  const result = concord(['verify', '--library', library, '--json']);
  expect(JSON.parse(result.stdout)).toMatchObject({ ok: true });
  expect(result.status).toBe(0);
}

describe.runIf(available)('concord backup and concord restore', () => {
  const library = tempDir();
  const backup = join(tempDir(), 'backup');
  const partialCopy = join(tempDir(), 'partial');
  let firstBackup: BackupJson;
  let finalInstances = 0;

  it('backs up while an import runs: every instance the backup lists has its object, and it restores elsewhere verified', async () => {
    const child = spawnConcord(['import', CD, '--library', library, '--json', '--progress'], { CONCORD_IMPORT_BATCH_FILES: '20' });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    const exited = once(child, 'exit');
    let progressed = false;
    onProgressLines<ImportProgress>(child, (progress) => {
      progressed ||= progress.instancesImported >= 20;
    });
    // Wait until the import has committed a batch, then hold it where it is (it stays running, its
    // lock held) while the backup and a restore into it are tried.
    const committed = (): number => (existsSync(join(library, 'concord.sqlite')) ? indexedInstances(library) : 0);
    while (!progressed || committed() < 20) {
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGSTOP');
    try {
      firstBackup = concordJson<BackupJson>(['backup', '--to', backup, '--library', library]);
      const refused = concord(['restore', '--from', backup, '--library', library, '--json']);
      expect(refused.status).toBe(1);
      expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'import-running' } });
    } finally {
      child.kill('SIGCONT');
    }
    // And one taken while the import goes on: whatever it caught, it is whole.
    const concurrent = join(tempDir(), 'concurrent');
    const during = spawnConcord(['backup', '--to', concurrent, '--library', library, '--json']);
    const [code, duringCode] = (await Promise.all([exited, once(during, 'exit')])).map(([status]) => status as number | null);
    expect(code).toBe(0);
    expect(duringCode).toBe(0);
    verifyOk(concurrent);
    finalInstances = (JSON.parse(stdout) as { counts: { imported: number } }).counts.imported;

    expect(firstBackup.importsRunning).toBe(1);
    expect(firstBackup.contents.instances).toBeGreaterThanOrEqual(20);
    expect(firstBackup.contents.instances).toBeLessThan(finalInstances);
    expect(firstBackup.objects.copied).toBe(firstBackup.objects.listed);
    expect(firstBackup.objects.alreadyPresent).toBe(0);
    // The backup is itself a whole library: its index passes verify against its own store, and the
    // import it caught is recorded there as interrupted.
    verifyOk(backup);
    const db = openIndex(backup);
    try {
      expect(db.prepare('SELECT status, status_reason AS reason FROM import_sessions').get()).toMatchObject({ status: 'interrupted', reason: expect.stringMatching(/backup/) });
    } finally {
      db.close();
    }
    cpSync(backup, partialCopy, { recursive: true });

    const elsewhere = join(tempDir(), 'restored');
    const restored = concordJson<RestoreJson>(['restore', '--from', backup, '--library', elsewhere]);
    expect(restored.verify.ok).toBe(true);
    expect(restored.setAside).toBeNull();
    expect(restored.contents.instances).toBe(firstBackup.contents.instances);
    verifyOk(elsewhere);
    expect(studyUids(elsewhere)).toEqual(indexedStudyUids(backup));
    expect(studyUids(elsewhere).length).toBeGreaterThan(0);
  });

  it('backs up again incrementally: only the objects imported since are copied', () => {
    const before = storedObjects(backup);
    const after = concordJson<BackupJson>(['backup', '--to', backup, '--library', library]);
    const now = storedObjects(backup);
    const added = [...now.keys()].filter((key) => !before.has(key));
    expect(after.importsRunning).toBe(0);
    expect(after.contents.instances).toBe(finalInstances);
    expect(after.objects.alreadyPresent).toBe(before.size);
    expect(after.objects.copied).toBe(added.length);
    expect(added.length).toBeGreaterThan(0);
    expect(after.objects.bytesCopied).toBe(added.reduce((sum, key) => sum + (now.get(key) ?? 0), 0));
    verifyOk(backup);
    expect(indexedStudyUids(backup)).toEqual(studyUids(library));
    // Nothing new: nothing copied.
    expect(concordJson<BackupJson>(['backup', '--to', backup, '--library', library]).objects).toMatchObject({ copied: 0, alreadyPresent: now.size });
  });

  it('refuses to restore over a library holding a signed report the backup lacks, and restores with --force', () => {
    concordJson(['readers', 'add', '--id', 'dr-second', '--name', 'Dr. Second Reader', '--credentials', 'MD', '--library', library]);
    const study = studyUids(library)[0] as string;
    const created = concord(['report', 'create', '--study', study, '--from', exampleReportPath, '--library', library]);
    expect(created.stderr).toBe('');
    const reportId = created.stdout.trim();
    expect(concord(['report', 'sign', reportId, '--reader', 'dr-second', '--library', library]).status).toBe(0);

    const refused = concord(['restore', '--from', backup, '--library', library]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/holds 1 signature the backup lacks/);
    expect(refused.stderr).toContain(`report on study ${study} signed by Dr. Second Reader`);
    expect(refused.stderr).toMatch(/--force/);
    const refusedJson = concord(['restore', '--from', backup, '--library', library, '--json']);
    expect(JSON.parse(refusedJson.stdout)).toMatchObject({ error: { code: 'signed-reports-would-be-lost' } });
    // Nothing changed: the signed report is still there.
    expect(concordJson<{ reports: { status: string }[] }>(['reports', '--library', library]).reports).toEqual([expect.objectContaining({ status: 'signed' })]);

    const forced = concordJson<RestoreJson>(['restore', '--from', backup, '--library', library, '--force']);
    expect(forced.signaturesLost).toEqual([expect.objectContaining({ studyInstanceUid: study, kind: 'report', signedBy: 'Dr. Second Reader' })]);
    expect(forced.verify.ok).toBe(true);
    expect(concordJson<{ reports: unknown[] }>(['reports', '--library', library]).reports).toEqual([]);
    // The replaced index is set aside, not deleted: it still holds the signed report.
    expect(forced.setAside).toMatchObject({ index: true, objects: 0 });
    const aside = openIndex(forced.setAside?.folder as string);
    try {
      expect(count(aside, "SELECT count(*) AS n FROM reports WHERE status = 'signed'")).toBe(1);
    } finally {
      aside.close();
    }
    verifyOk(library);
  });

  it('restores a library whose index was deleted, setting aside the images the backup does not list', () => {
    for (const suffix of ['', '-wal', '-shm']) {
      rmSync(join(library, `concord.sqlite${suffix}`), { force: true });
    }
    const damaged = concord(['studies', '--library', library]);
    expect(damaged.status).toBe(1);
    expect(damaged.stderr).toMatch(/concord restore --from <backup folder> --library /);

    // The copy of the backup taken while the import ran: older than the store.
    const restored = concordJson<RestoreJson>(['restore', '--from', partialCopy, '--library', library]);
    expect(restored.verify.ok).toBe(true);
    expect(restored.contents.instances).toBe(firstBackup.contents.instances);
    expect(restored.objects.copied).toBe(0);
    expect(restored.setAside?.objects).toBe(finalInstances - firstBackup.contents.instances);
    verifyOk(library);
    expect(studyUids(library)).toEqual(indexedStudyUids(partialCopy));

    // The images set aside are taken in again by importing them.
    const again = concordJson<{ counts: { imported: number } }>(['import', join(restored.setAside?.folder as string, 'objects'), '--library', library]);
    expect(again.counts.imported).toBe(finalInstances - firstBackup.contents.instances);
    expect(indexedInstances(library)).toBe(finalInstances);
    verifyOk(library);
  });

  it('refuses a folder that is not a Concord backup, and a backup folder holding something else', () => {
    const empty = tempDir();
    const result = concord(['restore', '--from', empty, '--library', tempDir(), '--json']);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'not-a-backup' } });
    const papers = tempDir();
    writeFileSync(join(papers, 'letter.txt'), 'not a library');
    const notALibrary = concord(['restore', '--from', backup, '--library', papers, '--json']);
    expect(notALibrary.status).toBe(1);
    expect(JSON.parse(notALibrary.stdout)).toMatchObject({ error: { code: 'target-not-a-library' } });
    const other = concord(['backup', '--to', papers, '--library', library, '--json']);
    expect(other.status).toBe(1);
    expect(JSON.parse(other.stdout)).toMatchObject({ error: { code: 'backup-folder-in-use' } });
    expect(readdirSync(papers)).toEqual(['letter.txt']);
    expect(concord(['backup', '--library', library]).status).toBe(2);
  });
});
