import type { Database } from 'better-sqlite3';

/** Patients, studies, series, instances; import sessions and outcomes; conflicts; store journal; search. */
export function migrate0010(db: Database): void {
  db.exec(`
    CREATE TABLE import_sessions (
      id INTEGER PRIMARY KEY,
      source_path TEXT NOT NULL,
      started_at TEXT NOT NULL,
      finished_at TEXT,
      status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'cancelled', 'interrupted', 'failed')),
      status_reason TEXT,
      files_seen INTEGER NOT NULL DEFAULT 0,
      bytes_imported INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE import_outcomes (
      id INTEGER PRIMARY KEY,
      session_id INTEGER NOT NULL REFERENCES import_sessions(id) ON DELETE CASCADE,
      path TEXT NOT NULL,
      outcome TEXT NOT NULL CHECK (outcome IN ('imported', 'already-present', 'conflict', 'media-directory',
        'missing', 'not-dicom', 'truncated', 'unreadable', 'no-sop-instance-uid')),
      reason TEXT,
      sop_instance_uid TEXT,
      sop_class_uid TEXT,
      object_kind TEXT,
      bytes INTEGER,
      UNIQUE (session_id, path)
    );
    CREATE INDEX import_outcomes_by_session ON import_outcomes (session_id, outcome);

    -- One row per identity as received. Rows merge only when every identifying value is equal:
    -- reconciliation to a local patient is a later, explicit step, never a guess made at import.
    CREATE TABLE patients (
      id INTEGER PRIMARY KEY,
      patient_id TEXT NOT NULL,
      issuer_of_patient_id TEXT NOT NULL,
      patient_name TEXT NOT NULL,
      birth_date TEXT NOT NULL,
      sex TEXT NOT NULL,
      UNIQUE (patient_id, issuer_of_patient_id, patient_name, birth_date, sex)
    );
    CREATE INDEX patients_by_name ON patients (patient_name);

    CREATE TABLE studies (
      id INTEGER PRIMARY KEY,
      study_instance_uid TEXT NOT NULL UNIQUE,
      patient_ref INTEGER NOT NULL REFERENCES patients(id),
      study_date TEXT NOT NULL,
      study_time TEXT NOT NULL,
      accession_number TEXT NOT NULL,
      issuer_of_accession_number TEXT NOT NULL,
      study_description TEXT NOT NULL,
      study_id TEXT NOT NULL,
      referring_physician_name TEXT NOT NULL,
      institution_name TEXT NOT NULL,
      first_import_session_id INTEGER REFERENCES import_sessions(id),
      created_at TEXT NOT NULL
    );
    CREATE INDEX studies_by_patient ON studies (patient_ref, study_date);
    CREATE INDEX studies_by_date ON studies (study_date, study_time);
    CREATE INDEX studies_by_accession ON studies (accession_number);

    CREATE TABLE series (
      id INTEGER PRIMARY KEY,
      series_instance_uid TEXT NOT NULL UNIQUE,
      study_ref INTEGER NOT NULL REFERENCES studies(id),
      modality TEXT NOT NULL,
      series_number INTEGER,
      series_description TEXT NOT NULL,
      body_part_examined TEXT NOT NULL,
      laterality TEXT NOT NULL,
      manufacturer TEXT NOT NULL,
      manufacturer_model_name TEXT NOT NULL
    );
    CREATE INDEX series_by_study ON series (study_ref, series_number);
    CREATE INDEX series_by_modality ON series (modality, study_ref);

    CREATE TABLE instances (
      id INTEGER PRIMARY KEY,
      sop_instance_uid TEXT NOT NULL UNIQUE,
      series_ref INTEGER NOT NULL REFERENCES series(id),
      sop_class_uid TEXT NOT NULL,
      object_kind TEXT NOT NULL,
      displayable INTEGER NOT NULL CHECK (displayable IN (0, 1)),
      transfer_syntax_uid TEXT NOT NULL,
      instance_number INTEGER,
      image_type TEXT NOT NULL,
      image_laterality TEXT NOT NULL,
      frame_laterality TEXT NOT NULL,
      view_position TEXT NOT NULL,
      view_code_value TEXT NOT NULL,
      view_code_scheme TEXT NOT NULL,
      view_code_meaning TEXT NOT NULL,
      view_modifier_codes TEXT NOT NULL,
      presentation_intent_type TEXT NOT NULL,
      patient_orientation TEXT NOT NULL,
      breast_implant_present TEXT NOT NULL,
      partial_view TEXT NOT NULL,
      rows INTEGER,
      columns INTEGER,
      number_of_frames INTEGER NOT NULL,
      samples_per_pixel INTEGER,
      photometric_interpretation TEXT NOT NULL,
      bits_allocated INTEGER,
      bits_stored INTEGER,
      pixel_representation INTEGER,
      pixel_spacing TEXT,
      imager_pixel_spacing TEXT,
      estimated_radiographic_magnification_factor REAL,
      pixel_spacing_calibration_type TEXT NOT NULL,
      nominal_scanned_pixel_spacing TEXT,
      frame_of_reference_uid TEXT NOT NULL,
      image_position_patient TEXT,
      image_orientation_patient TEXT,
      slice_thickness REAL,
      acquisition_date TEXT NOT NULL,
      acquisition_time TEXT NOT NULL,
      acquisition_datetime TEXT NOT NULL,
      content_date TEXT NOT NULL,
      content_time TEXT NOT NULL,
      document_title TEXT NOT NULL,
      specific_character_set TEXT NOT NULL,
      -- Everything read from the file as received, so later identifier changes never lose the originals.
      original_attributes TEXT NOT NULL,
      store_key TEXT NOT NULL,
      file_size INTEGER NOT NULL,
      import_session_id INTEGER REFERENCES import_sessions(id),
      source_path TEXT NOT NULL,
      imported_at TEXT NOT NULL
    );
    CREATE INDEX instances_by_series ON instances (series_ref, instance_number);
    CREATE INDEX instances_by_store_key ON instances (store_key);
    CREATE INDEX instances_by_session ON instances (import_session_id);

    -- An instance kept aside instead of indexed: its SOP Instance UID is in the library with other
    -- content, or its study or series UID already belongs to another patient or study.
    CREATE TABLE instance_conflicts (
      id INTEGER PRIMARY KEY,
      sop_instance_uid TEXT NOT NULL,
      conflict_kind TEXT NOT NULL CHECK (conflict_kind IN ('same-sop-instance-uid', 'study-of-other-patient', 'series-of-other-study')),
      existing_instance_ref INTEGER REFERENCES instances(id),
      store_key TEXT NOT NULL,
      file_size INTEGER NOT NULL,
      import_session_id INTEGER REFERENCES import_sessions(id),
      source_path TEXT NOT NULL,
      differences TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      UNIQUE (sop_instance_uid, store_key)
    );
    CREATE INDEX instance_conflicts_by_store_key ON instance_conflicts (store_key);

    -- Store objects renamed into place whose index rows are not yet committed. After a crash, rows
    -- left here name files that no committed row references: recovery removes them.
    CREATE TABLE store_journal (
      store_key TEXT PRIMARY KEY,
      session_id INTEGER NOT NULL,
      created_at TEXT NOT NULL
    );

    -- The import lock: one importer (the single writer) per library. Claimed inside an immediate
    -- transaction, so two processes cannot both take over a lock left by a dead one.
    CREATE TABLE import_lock (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      pid INTEGER NOT NULL,
      acquired_at TEXT NOT NULL
    );

    -- Full-text search over names, identifiers and descriptions, one row per study (rowid = studies.id).
    -- Trigram tokens match inside names in any script, including those written without spaces.
    CREATE VIRTUAL TABLE study_search USING fts5 (
      patient_names, identifiers, descriptions,
      tokenize = 'trigram remove_diacritics 1'
    );
  `);
}
