import type { Database } from 'better-sqlite3';

/**
 * Second-opinion reports (issue 12): one current report per study, its signature and signed addenda,
 * reader profiles, the audit trail, the communication of a discordance, outcomes, the DICOM objects
 * exported into the library and the key images the reader captured.
 *
 * The lock on a signed report lives here as well as in the service: a trigger aborts any change of a
 * signed report's content, so no code path (nor a hand-run UPDATE) can rewrite what was signed.
 * Signatures, addenda, audit events and exports are append-only for the same reason.
 */
export function migrate0080(db: Database): void {
  db.exec(`
    CREATE TABLE reader_profiles (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      credentials TEXT NOT NULL,
      signature_line TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );

    CREATE TABLE reports (
      id INTEGER PRIMARY KEY,
      study_instance_uid TEXT NOT NULL UNIQUE REFERENCES studies(study_instance_uid),
      status TEXT NOT NULL CHECK (status IN ('draft', 'signed', 'amended')),
      -- The report content as JSON (shared/reports/report-model.ts reportContentSchema), validated on
      -- the way in and on the way out.
      content TEXT NOT NULL CHECK (json_valid(content)),
      -- Increases with every saved edit; a save names the revision it edits.
      revision INTEGER NOT NULL CHECK (revision >= 1),
      -- Derived from content at every save, for the worklist and the overview without parsing JSON.
      verdict TEXT CHECK (verdict IN ('concordant', 'minor', 'major')),
      proposed_verdict TEXT NOT NULL CHECK (proposed_verdict IN ('concordant', 'minor', 'major', 'indeterminate')),
      outside_assessment TEXT,
      second_assessment TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      signed_at TEXT
    );

    -- A signed report's content never changes, and it never goes back to draft.
    CREATE TRIGGER reports_signed_content_locked BEFORE UPDATE ON reports
      WHEN OLD.status <> 'draft' AND (
        NEW.content IS NOT OLD.content OR NEW.revision IS NOT OLD.revision OR NEW.status = 'draft'
        OR NEW.verdict IS NOT OLD.verdict OR NEW.proposed_verdict IS NOT OLD.proposed_verdict
        OR NEW.outside_assessment IS NOT OLD.outside_assessment OR NEW.second_assessment IS NOT OLD.second_assessment
        OR NEW.study_instance_uid IS NOT OLD.study_instance_uid OR NEW.signed_at IS NOT OLD.signed_at)
    BEGIN
      SELECT RAISE(ABORT, 'a signed report''s content never changes: add an addendum');
    END;
    CREATE TRIGGER reports_signed_kept BEFORE DELETE ON reports WHEN OLD.status <> 'draft'
    BEGIN
      SELECT RAISE(ABORT, 'a signed report is never deleted');
    END;

    -- Later changes to a signed report: each one signed (its signature row is written with it).
    CREATE TABLE report_addenda (
      id INTEGER PRIMARY KEY,
      report_ref INTEGER NOT NULL REFERENCES reports(id),
      text TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE INDEX report_addenda_by_report ON report_addenda (report_ref, id);

    -- Who signed, as the profile read when signing (a profile edited later does not rewrite it), and
    -- the operating system's user who did it. addendum_ref NULL: the report's own signature.
    CREATE TABLE report_signatures (
      id INTEGER PRIMARY KEY,
      report_ref INTEGER NOT NULL REFERENCES reports(id),
      addendum_ref INTEGER UNIQUE REFERENCES report_addenda(id),
      profile_ref TEXT NOT NULL REFERENCES reader_profiles(id),
      name TEXT NOT NULL,
      credentials TEXT NOT NULL,
      signature_line TEXT NOT NULL,
      os_user TEXT NOT NULL,
      signed_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX report_signatures_one_per_report ON report_signatures (report_ref) WHERE addendum_ref IS NULL;

    -- Who opened, edited, signed and exported what, and when: the OS user and the reader profile.
    CREATE TABLE audit_events (
      id INTEGER PRIMARY KEY,
      report_ref INTEGER REFERENCES reports(id),
      action TEXT NOT NULL CHECK (action IN ('created', 'opened', 'edited', 'signed', 'addendum', 'exported',
        'communication', 'outcome', 'key-image', 'profile')),
      os_user TEXT NOT NULL,
      profile_ref TEXT,
      at TEXT NOT NULL,
      detail TEXT NOT NULL
    );
    CREATE INDEX audit_events_by_report ON audit_events (report_ref, id);

    -- The communication of a discordance to the referring physician: to whom, when, how, by whom.
    CREATE TABLE report_communications (
      id INTEGER PRIMARY KEY,
      report_ref INTEGER NOT NULL REFERENCES reports(id),
      to_whom TEXT NOT NULL,
      communicated_at TEXT NOT NULL,
      how TEXT NOT NULL,
      by_whom TEXT NOT NULL,
      note TEXT NOT NULL,
      os_user TEXT NOT NULL,
      recorded_at TEXT NOT NULL
    );
    CREATE INDEX report_communications_by_report ON report_communications (report_ref, id);

    -- A later pathology or follow-up result per finding (finding_id NULL: the whole case), with the
    -- reading it supported, computed when it was recorded.
    CREATE TABLE report_outcomes (
      id INTEGER PRIMARY KEY,
      report_ref INTEGER NOT NULL REFERENCES reports(id),
      finding_id TEXT,
      kind TEXT NOT NULL,
      result TEXT NOT NULL,
      outcome_date TEXT NOT NULL,
      note TEXT NOT NULL,
      supports TEXT CHECK (supports IN ('outside', 'second-opinion', 'both', 'neither')),
      os_user TEXT NOT NULL,
      recorded_at TEXT NOT NULL
    );
    CREATE INDEX report_outcomes_by_report ON report_outcomes (report_ref, id);

    -- DICOM objects written from a signed report into the library as part of its study.
    CREATE TABLE report_exports (
      id INTEGER PRIMARY KEY,
      report_ref INTEGER NOT NULL REFERENCES reports(id),
      kind TEXT NOT NULL CHECK (kind IN ('sr', 'encapsulated-pdf')),
      sop_instance_uid TEXT NOT NULL UNIQUE,
      series_instance_uid TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE INDEX report_exports_by_report ON report_exports (report_ref, id);

    -- Key images for the report: the PNG the viewer captured (with its annotations) and the caption.
    CREATE TABLE report_key_images (
      id INTEGER PRIMARY KEY,
      report_ref INTEGER NOT NULL REFERENCES reports(id),
      sop_instance_uid TEXT NOT NULL,
      frame INTEGER,
      png BLOB,
      caption TEXT NOT NULL,
      captured_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX report_key_images_once ON report_key_images (report_ref, sop_instance_uid, coalesce(frame, 0));

    CREATE TRIGGER report_signatures_append_only BEFORE UPDATE ON report_signatures
    BEGIN SELECT RAISE(ABORT, 'signatures are never changed'); END;
    CREATE TRIGGER report_addenda_append_only BEFORE UPDATE ON report_addenda
    BEGIN SELECT RAISE(ABORT, 'a signed addendum is never changed'); END;
    CREATE TRIGGER audit_events_append_only BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'the audit trail is never changed'); END;
    CREATE TRIGGER audit_events_kept BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'the audit trail is never changed'); END;
  `);
}
