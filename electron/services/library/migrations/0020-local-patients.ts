import type { Database } from 'better-sqlite3';

/**
 * Local patients (IHE Import Reconciliation): the table `patients` holds outside identities exactly
 * as received; a local patient links one or more of them. Every identity belongs to exactly one
 * local patient: a trigger gives each new identity a local patient of its own, and only a person's
 * accept merges two. Proposals and every accept, reject and undo are kept with who and when.
 */
export function migrate0020(db: Database): void {
  db.exec(`
    -- AUTOINCREMENT: a local patient's number is never reused, so a record of a merged or split
    -- patient never comes to name someone else.
    CREATE TABLE local_patients (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      created_at TEXT NOT NULL
    );

    CREATE TABLE identity_links (
      identity_ref INTEGER PRIMARY KEY REFERENCES patients(id),
      local_patient_ref INTEGER NOT NULL REFERENCES local_patients(id),
      linked_at TEXT NOT NULL
    );
    CREATE INDEX identity_links_by_patient ON identity_links (local_patient_ref, identity_ref);

    CREATE TRIGGER identity_gets_local_patient AFTER INSERT ON patients
    BEGIN
      INSERT INTO local_patients (created_at) VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
      INSERT INTO identity_links (identity_ref, local_patient_ref, linked_at)
        VALUES (NEW.id, last_insert_rowid(), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
    END;

    -- One row per pair of identities ever proposed (identity_a < identity_b): a pair decided once is
    -- never proposed again.
    CREATE TABLE link_proposals (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      identity_a INTEGER NOT NULL REFERENCES patients(id),
      identity_b INTEGER NOT NULL REFERENCES patients(id),
      evidence TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'rejected', 'undone')),
      created_at TEXT NOT NULL,
      decided_at TEXT,
      decided_by TEXT,
      CHECK (identity_a < identity_b),
      UNIQUE (identity_a, identity_b)
    );
    CREATE INDEX link_proposals_by_status ON link_proposals (status, id);
    CREATE INDEX link_proposals_by_b ON link_proposals (identity_b);

    -- The record of every decision: accept, reject, undo; who and when.
    CREATE TABLE reconciliation_events (
      id INTEGER PRIMARY KEY,
      action TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'undo')),
      proposal_ref INTEGER REFERENCES link_proposals(id),
      identity_ref INTEGER REFERENCES patients(id),
      local_patient_ref INTEGER,
      decided_by TEXT NOT NULL,
      decided_at TEXT NOT NULL,
      detail TEXT NOT NULL
    );

    INSERT INTO local_patients (id, created_at) SELECT id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM patients ORDER BY id;
    INSERT INTO identity_links (identity_ref, local_patient_ref, linked_at)
      SELECT id, id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM patients;
  `);
}
