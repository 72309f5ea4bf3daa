import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, openLibrary, schemaVersion } from '../../electron/services/library/database.ts';
import { listStudies } from '../../electron/services/library/studies.ts';
import { haveCorpus } from '../support/environment.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';
import { importReportsCorpus } from '../support/reports.ts';

afterAll(cleanupTempDirs);

const REPORT_TABLES = [
  'reports', 'report_signatures', 'report_addenda', 'reader_profiles', 'audit_events', 'report_communications', 'report_outcomes',
  'report_exports', 'report_key_images',
];

describe.runIf(haveCorpus())('migration 0080: second-opinion reports', () => {
  it('adds the report tables to a library that already holds studies; every study reads as unread', async () => {
    const root = tempDir();
    await importReportsCorpus(root);
    // Take the library back to what the version before reports left: migration 0080 only adds
    // tables (their indexes and triggers go with them), so dropping them gives a schema-0070 library.
    const db = new Database(join(root, 'concord.sqlite'));
    db.pragma('foreign_keys = OFF');
    for (const table of [...REPORT_TABLES].reverse()) {
      db.exec(`DROP TABLE ${table}`);
    }
    // And what later migrations added (0090: orientation choices), which a schema-0070 library lacks.
    db.exec('DROP TABLE orientation_choices');
    db.pragma('user_version = 70');
    db.close();

    const library = openLibrary(root);
    try {
      expect(schemaVersion(library.db)).toBe(LATEST_SCHEMA_VERSION);
      const tables = (library.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
      expect(tables).toEqual(expect.arrayContaining(REPORT_TABLES));
      const studies = listStudies(library.db);
      expect(studies).toHaveLength(7);
      expect(studies.every((s) => s.reportStatus === 'unread' && s.verdict === null)).toBe(true);
      expect(library.db.pragma('foreign_key_check')).toEqual([]);
      expect(library.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      library.close();
    }
  });
});
