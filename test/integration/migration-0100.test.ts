import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, migrate, schemaVersion } from '../../electron/services/library/database.ts';
import { MIGRATIONS } from '../../electron/services/library/migrations/index.ts';
import { getReaderProfile, listReaderProfiles, saveReaderProfile } from '../../electron/services/reports/reader-profiles.ts';

describe('migration 0100: the reading institution of reader profiles and signatures', () => {
  it('keeps the profiles of a version-80 library, with no institution recorded, and then stores one', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.filter((migration) => migration.version <= 80));
    expect(schemaVersion(db)).toBe(80);
    db.prepare(`INSERT INTO reader_profiles (id, name, credentials, signature_line, created_at, updated_at)
      VALUES ('mreader', 'Maria Reader', 'MD', 'Maria Reader, MD', '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z')`).run();

    migrate(db);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(listReaderProfiles(db)).toEqual([{ id: 'mreader', name: 'Maria Reader', credentials: 'MD', signatureLine: 'Maria Reader, MD', institution: '' }]);
    const signatureColumns = (db.prepare('PRAGMA table_info(report_signatures)').all() as { name: string }[]).map((column) => column.name);
    expect(signatureColumns).toContain('institution');

    saveReaderProfile(db, { id: 'mreader', name: 'Maria Reader', credentials: 'MD', signatureLine: 'Maria Reader, MD', institution: ' Northside Breast Centre ' }, { osUser: 'tester', profileId: null });
    expect(getReaderProfile(db, 'mreader')?.institution).toBe('Northside Breast Centre');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
