import type { Database } from 'better-sqlite3';

/**
 * Signatures and signed addenda are never deleted, as they are never changed (migration 0080 guarded
 * only their updates): a deleted signature would leave a signed report that nobody signed.
 */
export function migrate0120(db: Database): void {
  db.exec(`
    CREATE TRIGGER report_signatures_kept BEFORE DELETE ON report_signatures
    BEGIN SELECT RAISE(ABORT, 'signatures are never deleted'); END;
    CREATE TRIGGER report_addenda_kept BEFORE DELETE ON report_addenda
    BEGIN SELECT RAISE(ABORT, 'a signed addendum is never deleted'); END;
  `);
}
