import type { Database } from 'better-sqlite3';

/**
 * The reader's orientation choices (issue 17): where a mammogram's header and pixels disagree on its
 * chest-wall side (or neither tells), the reader looks at the marker and chooses; the choice is kept
 * per instance, as the stored edge that is the chest wall, with what header and pixels said then.
 *
 * Each choice is audited in the audit trail of migration 0080, whose action list is widened here by
 * 'orientation'. SQLite cannot change a CHECK constraint in place, so the table is rebuilt with its
 * rows, index and append-only triggers (dropping a table drops its triggers first: none fires).
 */
export function migrate0090(db: Database): void {
  db.exec(`
    CREATE TABLE orientation_choices (
      sop_instance_uid TEXT PRIMARY KEY,
      chest_wall_side TEXT NOT NULL CHECK (chest_wall_side IN ('left', 'right')),
      -- What the reader saw when choosing: Patient Orientation as stored, and the pixels' answer.
      header_orientation TEXT NOT NULL,
      image_side TEXT CHECK (image_side IN ('left', 'right')),
      os_user TEXT NOT NULL,
      chosen_at TEXT NOT NULL
    );

    CREATE TABLE audit_events_0090 (
      id INTEGER PRIMARY KEY,
      report_ref INTEGER REFERENCES reports(id),
      action TEXT NOT NULL CHECK (action IN ('created', 'opened', 'edited', 'signed', 'addendum', 'exported',
        'communication', 'outcome', 'key-image', 'profile', 'orientation')),
      os_user TEXT NOT NULL,
      profile_ref TEXT,
      at TEXT NOT NULL,
      detail TEXT NOT NULL
    );
    INSERT INTO audit_events_0090 (id, report_ref, action, os_user, profile_ref, at, detail)
      SELECT id, report_ref, action, os_user, profile_ref, at, detail FROM audit_events ORDER BY id;
    DROP TABLE audit_events;
    ALTER TABLE audit_events_0090 RENAME TO audit_events;
    CREATE INDEX audit_events_by_report ON audit_events (report_ref, id);
    CREATE TRIGGER audit_events_append_only BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'the audit trail is never changed'); END;
    CREATE TRIGGER audit_events_kept BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'the audit trail is never changed'); END;
  `);
}
