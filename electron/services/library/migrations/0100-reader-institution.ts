import type { Database } from 'better-sqlite3';

/**
 * The reading institution of a reader profile (issue 17): the SR's Verifying Organization is the
 * reading centre's, not the outside facility's. A signature copies it when it is made, as it copies the
 * name, so editing a profile later never changes what a signed report says. Empty: not recorded.
 */
export function migrate0100(db: Database): void {
  db.exec(`
    ALTER TABLE reader_profiles ADD COLUMN institution TEXT NOT NULL DEFAULT '';
    ALTER TABLE report_signatures ADD COLUMN institution TEXT NOT NULL DEFAULT '';
  `);
}
