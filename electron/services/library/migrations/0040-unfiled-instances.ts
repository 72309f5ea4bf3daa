import type { Database } from 'better-sqlite3';

/**
 * Unfiled instances: a readable instance without Study or Series Instance UID is stored and kept here
 * until a person files it; the filing is recorded (who, when, which UIDs Concord made). The import
 * outcome list gains "unfiled" (SQLite cannot widen a CHECK in place: the table is rebuilt).
 */
export function migrate0040(db: Database): void {
  db.exec(`
    CREATE TABLE import_outcomes_0040 (
      id INTEGER PRIMARY KEY,
      session_id INTEGER NOT NULL REFERENCES import_sessions(id) ON DELETE CASCADE,
      path TEXT NOT NULL,
      outcome TEXT NOT NULL CHECK (outcome IN ('imported', 'already-present', 'conflict', 'media-directory',
        'missing', 'not-dicom', 'truncated', 'unreadable', 'no-sop-instance-uid', 'unfiled')),
      reason TEXT,
      sop_instance_uid TEXT,
      sop_class_uid TEXT,
      object_kind TEXT,
      bytes INTEGER,
      UNIQUE (session_id, path)
    );
    INSERT INTO import_outcomes_0040 (id, session_id, path, outcome, reason, sop_instance_uid, sop_class_uid, object_kind, bytes)
      SELECT id, session_id, path, outcome, reason, sop_instance_uid, sop_class_uid, object_kind, bytes FROM import_outcomes;
    DROP TABLE import_outcomes;
    ALTER TABLE import_outcomes_0040 RENAME TO import_outcomes;
    CREATE INDEX import_outcomes_by_session ON import_outcomes (session_id, outcome);

    -- An instance stored byte for byte but in no study: it lacks a Study or Series Instance UID, and
    -- Concord never guesses one. Its SOP Instance UID is unique across this table and instances.
    CREATE TABLE unfiled_instances (
      id INTEGER PRIMARY KEY,
      sop_instance_uid TEXT NOT NULL UNIQUE,
      reason TEXT NOT NULL,
      -- As received; NULL when the file has none.
      study_instance_uid TEXT,
      series_instance_uid TEXT,
      patient_id TEXT NOT NULL,
      issuer_of_patient_id TEXT NOT NULL,
      patient_name TEXT NOT NULL,
      birth_date TEXT NOT NULL,
      sex TEXT NOT NULL,
      modality TEXT NOT NULL,
      sop_class_uid TEXT NOT NULL,
      object_kind TEXT NOT NULL,
      displayable INTEGER NOT NULL CHECK (displayable IN (0, 1)),
      transfer_syntax_uid TEXT NOT NULL,
      original_attributes TEXT NOT NULL,
      store_key TEXT NOT NULL,
      file_size INTEGER NOT NULL,
      import_session_id INTEGER REFERENCES import_sessions(id),
      source_path TEXT NOT NULL,
      imported_at TEXT NOT NULL,
      CHECK (study_instance_uid IS NULL OR series_instance_uid IS NULL)
    );
    CREATE INDEX unfiled_instances_by_store_key ON unfiled_instances (store_key);

    -- How a once-unfiled instance was filed. The stored file is never rewritten: its study and series
    -- rows are the filing; this row says who did it, when, and which UIDs Concord created.
    CREATE TABLE instance_filings (
      id INTEGER PRIMARY KEY,
      instance_ref INTEGER NOT NULL UNIQUE REFERENCES instances(id),
      sop_instance_uid TEXT NOT NULL UNIQUE,
      unfiled_reason TEXT NOT NULL,
      received_study_instance_uid TEXT,
      received_series_instance_uid TEXT,
      study_instance_uid TEXT NOT NULL,
      series_instance_uid TEXT NOT NULL,
      study_created INTEGER NOT NULL CHECK (study_created IN (0, 1)),
      study_uid_generated INTEGER NOT NULL CHECK (study_uid_generated IN (0, 1)),
      series_created INTEGER NOT NULL CHECK (series_created IN (0, 1)),
      series_uid_generated INTEGER NOT NULL CHECK (series_uid_generated IN (0, 1)),
      -- 1 when a person confirmed filing it into a study of another patient identity.
      other_patient_confirmed INTEGER NOT NULL CHECK (other_patient_confirmed IN (0, 1)),
      filed_by TEXT NOT NULL,
      filed_via TEXT NOT NULL,
      filed_at TEXT NOT NULL
    );
  `);
}
