import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, LibraryError, migrate, openLibrary, schemaVersion } from '../../electron/services/library/database.ts';
import { MIGRATIONS } from '../../electron/services/library/migrations/index.ts';
import { listStudies } from '../../electron/services/library/studies.ts';
import { runImport } from '../../electron/services/import/importer.ts';
import { corpus, haveCorpus } from '../support/environment.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';

afterAll(cleanupTempDirs);

describe('library schema', () => {
  it('is created by numbered migrations recorded in PRAGMA user_version', () => {
    const library = openLibrary(tempDir());
    try {
      expect(schemaVersion(library.db)).toBe(LATEST_SCHEMA_VERSION);
      expect(MIGRATIONS.map((m) => m.version)).toEqual([...MIGRATIONS.map((m) => m.version)].sort((a, b) => a - b));
      expect(library.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(library.db.pragma('foreign_keys', { simple: true })).toBe(1);
      const columns = (library.db.prepare("SELECT name FROM pragma_table_info('instances')").all() as { name: string }[]).map((c) => c.name);
      expect(columns).toEqual(expect.arrayContaining([
        'sop_instance_uid', 'sop_class_uid', 'transfer_syntax_uid', 'image_laterality', 'view_position', 'view_code_value',
        'presentation_intent_type', 'pixel_spacing', 'imager_pixel_spacing', 'estimated_radiographic_magnification_factor',
        'frame_of_reference_uid', 'image_position_patient', 'image_orientation_patient', 'acquisition_time', 'number_of_frames',
        'original_attributes', 'store_key',
      ]));
    } finally {
      library.close();
    }
  });

  it('opens an existing library again without migrating it twice', () => {
    const root = tempDir();
    openLibrary(root).close();
    const again = openLibrary(root);
    expect(schemaVersion(again.db)).toBe(LATEST_SCHEMA_VERSION);
    again.close();
  });

  it('refuses a database written by a newer Concord, and leaves it untouched', () => {
    const root = tempDir();
    openLibrary(root).close();
    const file = join(root, 'concord.sqlite');
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 10}`);
    raw.close();
    expect(() => openLibrary(root)).toThrow(LibraryError);
    expect(() => openLibrary(root)).toThrow(/newer version of Concord/);
    const check = new Database(file, { readonly: true });
    expect(schemaVersion(check)).toBe(LATEST_SCHEMA_VERSION + 10);
    check.close();
  });

  it('rolls back a failing migration completely', () => {
    const db = new Database(':memory:');
    const broken = [...MIGRATIONS, { version: LATEST_SCHEMA_VERSION + 10, name: 'broken', up: () => { throw new Error('boom'); } }];
    expect(() => migrate(db, broken)).toThrow('boom');
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'instances'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('serves the worklist queries from indexes (EXPLAIN QUERY PLAN)', () => {
    const library = openLibrary(tempDir());
    const plan = (sql: string, ...params: unknown[]): string =>
      (library.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
    try {
      expect(plan('SELECT * FROM studies ORDER BY study_date DESC, study_time DESC LIMIT 50')).toMatch(/USING (COVERING )?INDEX studies_by_date/);
      expect(plan("SELECT * FROM studies WHERE study_date BETWEEN '20200101' AND '20201231'")).toMatch(/USING (COVERING )?INDEX studies_by_date/);
      expect(plan('SELECT * FROM studies WHERE patient_ref = ? ORDER BY study_date', 1)).toMatch(/USING (COVERING )?INDEX studies_by_patient/);
      expect(plan('SELECT * FROM studies WHERE accession_number = ?', 'A1')).toMatch(/USING (COVERING )?INDEX studies_by_accession/);
      expect(plan('SELECT * FROM patients WHERE patient_id = ?', 'X')).toMatch(/USING (COVERING )?INDEX \w+ \(patient_id=\?\)/);
      expect(plan('SELECT * FROM series WHERE study_ref = ? ORDER BY series_number', 1)).toMatch(/USING (COVERING )?INDEX series_by_study/);
      expect(plan('SELECT * FROM instances WHERE series_ref = ? ORDER BY instance_number', 1)).toMatch(/USING (COVERING )?INDEX instances_by_series/);
      expect(plan('SELECT * FROM instances WHERE sop_instance_uid = ?', '1.2')).toMatch(/USING (COVERING )?INDEX sqlite_autoindex_instances/);
      expect(plan('SELECT * FROM import_outcomes WHERE session_id = ? AND outcome = ?', 1, 'imported')).toMatch(/USING (COVERING )?INDEX import_outcomes_by_session/);
      expect(plan('SELECT rowid FROM study_search WHERE study_search MATCH ?', 'abc')).toMatch(/VIRTUAL TABLE INDEX/);
      expect(plan("SELECT 1 FROM series se WHERE se.study_ref = ? AND se.modality = 'MG'", 1)).toMatch(/USING (COVERING )?INDEX series_by_/);
    } finally {
      library.close();
    }
  });
});

describe.skipIf(!haveCorpus())('full-text search over names and descriptions', () => {
  it('finds patients by names in any script, IDs and descriptions', async () => {
    const root = tempDir();
    await runImport({ libraryRoot: root, source: corpus('06-dicomdir-charsets-clunie') });
    await runImport({ libraryRoot: root, source: corpus('03-breast-patient-cd-mr-us-mimbcd') });
    const library = openLibrary(root);
    try {
      const ids = (text: string): string[] => listStudies(library.db, { text }).map((s) => s.patientId).sort();
      expect(ids('やまだ')).toEqual(['H31EXAMPLE', 'H32EXAMPLE']);
      expect(ids('山田')).toEqual(['H31EXAMPLE', 'H32EXAMPLE']);
      expect(ids('홍^길동')).toEqual(['I2EXAMPLE']);
      expect(ids('길동')).toEqual(['I2EXAMPLE']); // shorter than a trigram
      expect(ids('Διονυσ')).toEqual(['SCSGREEK']);
      expect(ids('rudiger')).toEqual(['SCSGERM']); // case and diacritics folded
      expect(ids('jérôme')).toEqual(['SCSFREN']);
      expect(ids('قباني')).toEqual(['SCSARAB']);
      expect(ids('ROTINA')).toHaveLength(1); // study description
      expect(ids('Breast')).toHaveLength(1);
      expect(ids('SCSRUSS')).toEqual(['SCSRUSS']);
      expect(ids('no such patient')).toEqual([]);
      expect(ids('"; DROP TABLE studies; --')).toEqual([]);
      expect(listStudies(library.db)).toHaveLength(13);
      expect(listStudies(library.db, { modality: 'US' }).map((s) => s.studyDescription)).toEqual(['Breast']);
      expect(listStudies(library.db, { modality: 'MR', text: 'Anonymized33' })).toHaveLength(1);
      // Undated studies (the anonymised CD) fall outside any date range.
      expect(listStudies(library.db, { dateFrom: '19000101', dateTo: '29991231' })).toHaveLength(0);
    } finally {
      library.close();
    }
  });
});
