import type { Database } from 'better-sqlite3';

/**
 * The library's identity: one row naming which library this index belongs to. The same identity is
 * kept as a file in the store (library-identity.ts), so an index that is not this store's (a fresh
 * one made after the old was lost, another library's copied in) is refused instead of being taken
 * for a new, empty library while the store's objects are orphaned.
 */
export function migrate0110(db: Database): void {
  db.exec(`
    CREATE TABLE library_identity (
      singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
      library_id TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
  `);
}
