import type { Database } from 'better-sqlite3';

/**
 * Other Patient IDs of each outside identity: the IDs other facilities gave the same patient, as its
 * instances list them (Other Patient IDs, Other Patient IDs Sequence). They are evidence when Concord
 * proposes linking two identities, never a reason to link them by itself.
 *
 * A JSON array of strings. NULL for identities indexed before this migration: their files were not
 * read for these IDs, and the evidence says "not indexed" rather than "none" until an instance of the
 * identity is imported again.
 */
export function migrate0050(db: Database): void {
  db.exec('ALTER TABLE patients ADD COLUMN other_patient_ids TEXT');
}
