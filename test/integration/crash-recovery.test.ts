import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportProgress, ImportSummary } from '../../shared/import/outcomes.ts';
import { concord, concordJson, onProgressLines, spawnConcord } from '../support/cli.ts';
import { corpus, haveCorpus } from '../support/environment.ts';
import { cleanupTempDirs, count, openIndex, tempDir } from '../support/library.ts';

const available = haveCorpus();
afterAll(cleanupTempDirs);

const CD = corpus('03-breast-patient-cd-mr-us-mimbcd');
const INSTANCES = 145;
const SMALL_BATCHES = { CONCORD_IMPORT_BATCH_FILES: '20' };

/** After any crash and one more import, the library must be whole and exact. */
function expectWholeLibrary(library: string): void {
  const rerun = concordJson<ImportSummary>(['import', CD, '--library', library], SMALL_BATCHES);
  expect(rerun.status).toBe('completed');
  expect(rerun.counts.imported + rerun.counts['already-present']).toBe(INSTANCES);
  expect(rerun.counts.conflict).toBe(0);

  const verify = concord(['verify', '--library', library, '--json']);
  const report = JSON.parse(verify.stdout) as Record<string, unknown>;
  expect(report).toMatchObject({
    ok: true, integrityCheck: 'ok', foreignKeyViolations: 0, instancesChecked: INSTANCES, orphans: [], temporaries: [], journalEntries: 0,
  });
  expect(verify.status).toBe(0);

  const db = openIndex(library);
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(count(db, 'SELECT count(*) AS n FROM instances')).toBe(INSTANCES);
    expect(count(db, 'SELECT count(DISTINCT sop_instance_uid) AS n FROM instances')).toBe(INSTANCES);
    expect(count(db, 'SELECT count(DISTINCT store_key) AS n FROM instances')).toBe(INSTANCES);
    expect(count(db, 'SELECT count(*) AS n FROM series')).toBe(2);
    expect(count(db, 'SELECT count(*) AS n FROM studies')).toBe(2);
    expect(count(db, 'SELECT count(*) AS n FROM patients')).toBe(1);
    expect(count(db, 'SELECT count(*) AS n FROM study_search')).toBe(2);
    expect(count(db, "SELECT count(*) AS n FROM import_sessions WHERE status = 'running'")).toBe(0);
  } finally {
    db.close();
  }
}

describe.skipIf(!available)('an import killed mid-way', () => {
  // Each point is a window where a kill or power loss leaves different debris behind.
  // `debris`: what verify must find before recovery runs.
  const points: [string, Record<string, unknown>][] = [
    ['after-copy:7', { ok: false, orphans: [] }], // a partial batch in temporary files, nothing durable yet
    ['after-fsync:2', { ok: false, orphans: [] }], // the second batch fsynced, not yet journalled or renamed
    ['after-publish:1', { ok: false, journalEntries: 20 }], // the first batch in the store, its rows not committed
    ['after-publish:4', { ok: false, journalEntries: 20, instancesChecked: 60 }], // committed batches, then an uncommitted one
    ['after-commit:3', { ok: false, instancesChecked: 60, journalEntries: 0 }], // between batches, the next one in flight
  ];
  for (const [point, debris] of points) {
    it(`at ${point} can be run again and completes without duplicates or orphans`, () => {
      const library = tempDir();
      const crashed = concord(['import', CD, '--library', library, '--json'], { ...SMALL_BATCHES, CONCORD_TEST_CRASH_AT: point });
      expect(crashed.signal).toBe('SIGKILL');
      const before = JSON.parse(concord(['verify', '--library', library, '--json']).stdout) as Record<string, unknown>;
      expect(before).toMatchObject(debris);
      if (point.startsWith('after-copy') || point.startsWith('after-fsync')) {
        expect((before.temporaries as string[]).length).toBeGreaterThan(0);
      }
      expectWholeLibrary(library);
      const db = openIndex(library);
      try {
        expect(count(db, "SELECT count(*) AS n FROM import_sessions WHERE status = 'interrupted'")).toBe(1);
      } finally {
        db.close();
      }
    });
  }

  for (const threshold of [1, 60, 120]) {
    it(`by SIGKILL from outside after ${threshold} instances can be run again and completes`, async () => {
      const library = tempDir();
      const child = spawnConcord(['import', CD, '--library', library, '--progress'], SMALL_BATCHES);
      let killedAt = -1;
      onProgressLines<ImportProgress>(child, (progress) => {
        if (killedAt < 0 && progress.instancesImported >= threshold) {
          killedAt = progress.instancesImported;
          child.kill('SIGKILL');
        }
      });
      const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
      // A kill that lands after the last file still leaves a finished import; both must end whole.
      expect(signal === 'SIGKILL' || code === 0).toBe(true);
      expect(killedAt).toBeGreaterThanOrEqual(threshold);
      expectWholeLibrary(library);
    });
  }
});
