import { existsSync, mkdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { checkLibraryBeforeWriting } from './library-health.ts';
import { LibraryError } from './library-error.ts';
import { newLibraryIdentity, readStoreIdentity, writeStoreIdentity } from './library-identity.ts';
import type { LibraryIdentity } from './library-identity.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations/index.ts';
import type { Migration } from './migrations/index.ts';
import { libraryPaths } from './paths.ts';
import type { LibraryPaths } from './paths.ts';
import { LibraryReadOnlyError, libraryWriteProblem, snapshotIndex } from './write-refusals.ts';

export { LibraryError, LibraryReadOnlyError };

export interface Library {
  paths: LibraryPaths;
  db: SqliteDatabase;
  /** Why the library cannot be written (a read-only disk or share, no permission), or null: opened for viewing only. */
  readOnly: string | null;
  close(): void;
}

export function schemaVersion(db: SqliteDatabase): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/** Brings the schema to the newest version in one transaction; refuses a database from a newer Concord. */
export function migrate(db: SqliteDatabase, migrations: readonly Migration[] = MIGRATIONS): void {
  const current = schemaVersion(db);
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (current > latest) {
    throw new LibraryError(
      `This library was written by a newer version of Concord (schema ${current}; this version knows up to ${latest}). ` +
        'Open it with that version or newer; it has not been changed.',
    );
  }
  const pending = migrations.filter((migration) => migration.version > current);
  if (pending.length === 0) {
    return;
  }
  db.transaction(() => {
    let previous = current;
    for (const migration of pending) {
      if (migration.version <= previous) {
        throw new LibraryError(`migrations out of order at ${migration.version}`);
      }
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
      previous = migration.version;
    }
  })();
}

export function openDatabase(file: string, options: { readonly?: boolean } = {}): SqliteDatabase {
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    // FULL: a commit is on disk before the importer goes on, so the store journal is durable before
    // the renames it covers, and no power loss takes back an import the user was told about.
    // Imports commit in batches, so the cost is a few syncs per import.
    db.pragma('synchronous = FULL');
  }
  return db;
}

/**
 * Opens (creating if needed) the library at `root`: its database, checked to be healthy and this
 * store's index, migrated, and its store folder.
 */
export function openLibrary(root: string, options: { forWriting?: boolean } = {}): Library {
  const paths = libraryPaths(root);
  const readOnly = libraryWriteProblem(paths);
  if (readOnly !== null) {
    if (options.forWriting) {
      throw new LibraryReadOnlyError(root, readOnly);
    }
    return openForViewing(paths, readOnly);
  }
  mkdirSync(paths.store, { recursive: true });
  const storeIdentity = checkLibraryBeforeWriting(paths);
  const db = openDatabase(paths.database);
  try {
    // An up-to-date library with its identity is opened without writing anything, so opening never
    // waits for an import's write lock. Otherwise IMMEDIATE: the schema version is read again under the
    // write lock, so processes opening a new library at once migrate it one after the other instead of
    // each creating the same tables.
    const identity = (schemaVersion(db) === LATEST_SCHEMA_VERSION ? existingIdentity(db) : null) ??
      db.transaction(() => {
        migrate(db);
        return recordIdentity(db, storeIdentity);
      }).immediate();
    // The store's copy is written after the index's commits: a crash between the two leaves an index
    // with an identity and a store without one, which the next open completes.
    if (readStoreIdentity(paths.store)?.libraryId !== identity.libraryId) {
      writeStoreIdentity(paths.store, identity);
    }
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    paths,
    db,
    readOnly: null,
    close: () => db.close(),
  };
}

/**
 * A library that cannot be written (on a read-only disk or share, or not this user's to write) opened
 * for viewing: checked as for writing, never migrated, its index read from a snapshot (see snapshotIndex).
 */
function openForViewing(paths: LibraryPaths, readOnly: string): Library {
  if (!existsSync(paths.database)) {
    throw new LibraryReadOnlyError(paths.root, readOnly, 'It holds no library index (concord.sqlite), and none can be made there');
  }
  const snapshot = snapshotIndex(paths);
  let db: SqliteDatabase | null = null;
  try {
    checkLibraryBeforeWriting({ ...paths, database: snapshot.database });
    db = openDatabase(snapshot.database, { readonly: true });
    const version = schemaVersion(db);
    if (version !== LATEST_SCHEMA_VERSION) {
      throw new LibraryReadOnlyError(
        paths.root,
        readOnly,
        `Its index is of schema ${version} and this version of Concord reads ${LATEST_SCHEMA_VERSION}; it cannot be brought up to date there. ` +
          'Copy the library to a writable disk and open the copy',
      );
    }
  } catch (error) {
    db?.close();
    snapshot.remove();
    throw error;
  }
  const opened = db;
  return {
    paths,
    db: opened,
    readOnly,
    close: () => {
      opened.close();
      snapshot.remove();
    },
  };
}

function existingIdentity(db: SqliteDatabase): LibraryIdentity | null {
  return (db.prepare('SELECT library_id AS libraryId, created_at AS createdAt FROM library_identity').get() as LibraryIdentity | undefined) ?? null;
}

/** The index's identity, made now for a new library (or one from before identities), taking the store's where it has one. */
function recordIdentity(db: SqliteDatabase, storeIdentity: LibraryIdentity | null): LibraryIdentity {
  const row = existingIdentity(db);
  if (row) {
    return row;
  }
  const identity = storeIdentity ?? newLibraryIdentity();
  db.prepare('INSERT INTO library_identity (singleton, library_id, created_at) VALUES (1, ?, ?)').run(identity.libraryId, identity.createdAt);
  return identity;
}

export { LATEST_SCHEMA_VERSION };
