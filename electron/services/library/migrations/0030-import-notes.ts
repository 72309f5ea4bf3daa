import type { Database } from 'better-sqlite3';

/**
 * Quirks read through at import, and instances kept aside because their identity is ambiguous.
 *
 * `import_outcome_notes`: the notes of one file's outcome (a JSON array of `{quirk, detail}`), beside
 * `import_outcomes` rather than in it, keyed like it by session and path. The store's delivery finds an
 * instance's notes through the session and path it was imported from, and hands the viewer the
 * repaired reading only for those.
 *
 * `instance_conflicts` gains the kind `ambiguous-identity`. SQLite cannot change a CHECK constraint in
 * place: the table is rebuilt from its own definition, with the kind added to whatever list it holds,
 * its rows and indexes kept.
 */
export function migrate0030(db: Database): void {
  db.exec(`
    CREATE TABLE import_outcome_notes (
      session_id INTEGER NOT NULL REFERENCES import_sessions(id) ON DELETE CASCADE,
      path TEXT NOT NULL,
      notes TEXT NOT NULL,
      PRIMARY KEY (session_id, path)
    );
  `);

  const table = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'instance_conflicts'").get() as
    | { sql: string }
    | undefined;
  if (!table) {
    throw new Error('migration 0030: table instance_conflicts is missing');
  }
  const kinds = /conflict_kind IN \(/;
  if (!kinds.test(table.sql)) {
    throw new Error('migration 0030: the conflict kinds of instance_conflicts are not where they were expected');
  }
  const indexes = db
    .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'instance_conflicts' AND sql IS NOT NULL")
    .all() as { sql: string }[];
  const rebuilt = table.sql
    .replace(/^CREATE TABLE "?instance_conflicts"?/, 'CREATE TABLE instance_conflicts_0030')
    .replace(kinds, "conflict_kind IN ('ambiguous-identity', ");
  db.exec(rebuilt);
  db.exec('INSERT INTO instance_conflicts_0030 SELECT * FROM instance_conflicts');
  db.exec('DROP TABLE instance_conflicts');
  db.exec('ALTER TABLE instance_conflicts_0030 RENAME TO instance_conflicts');
  for (const index of indexes) {
    db.exec(index.sql);
  }
}
