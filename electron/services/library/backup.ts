import { existsSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import Database from 'better-sqlite3';
import {
  BackupError, copyFileDurably, copyObjects, objectPath, referencedStoreKeys, replaceDurably, snapshotDatabase, storeExtras, storeKeys,
} from './backup-copy.ts';
import { syncDirectory } from '../store/file-facts.ts';
import type { ObjectCopyCounts } from './backup-copy.ts';
import { openLibrary } from './database.ts';
import { readStoreIdentity, writeStoreIdentity } from './library-identity.ts';
import type { LibraryIdentity } from './library-identity.ts';
import { libraryPaths } from './paths.ts';
import { libraryContents } from './backup-contents.ts';
import type { LibraryContents } from './backup-contents.ts';

export interface BackupReport {
  library: string;
  backup: string;
  libraryId: string;
  /** When the index was copied: the backup holds the library as it was then. */
  snapshotAt: string;
  contents: LibraryContents;
  indexBytes: number;
  objects: ObjectCopyCounts & {
    /** Objects an earlier backup in this folder held that the library no longer lists. */
    removed: number;
  };
  /** Imports that were running when the index was copied: the backup holds what they had committed. */
  importsRunning: number;
  durationMs: number;
}

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** A backup goes into a new or empty folder, or over an earlier backup of the same library, outside the library. */
function checkBackupFolder(folder: string, libraryRoot: string, identity: LibraryIdentity): void {
  if (inside(realOrResolved(libraryRoot), realOrResolved(folder)) || inside(realOrResolved(folder), realOrResolved(libraryRoot))) {
    throw new BackupError('backup-folder-in-use', `The backup folder ${folder} and the library ${libraryRoot} overlap: back up to a folder outside the library.`);
  }
  if (!existsSync(folder)) {
    return;
  }
  const held = readdirSync(folder);
  if (held.length === 0) {
    return;
  }
  const paths = libraryPaths(folder);
  let heldIdentity: LibraryIdentity | null;
  try {
    heldIdentity = readStoreIdentity(paths.store);
  } catch {
    heldIdentity = null;
  }
  if (!existsSync(paths.database) || heldIdentity === null) {
    throw new BackupError(
      'backup-folder-in-use',
      `${folder} is not empty and holds no backup of this library: back up into an empty or new folder, or the folder of an earlier backup of it.`,
    );
  }
  if (heldIdentity.libraryId !== identity.libraryId) {
    throw new BackupError(
      'backup-folder-in-use',
      `${folder} holds a backup of another library (${heldIdentity.libraryId}; this one is ${identity.libraryId}): back up into another folder.`,
    );
  }
}

/**
 * The backup copy stands for a library stopped at the moment of the snapshot: an import then running
 * is recorded as interrupted, its lock and its journal of not yet committed objects are dropped
 * (those objects are not copied). It is kept as one file (rollback journal), so it copies whole.
 */
function settleSnapshot(file: string, snapshotAt: string): { keys: Set<string>; importsRunning: number; contents: LibraryContents } {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = DELETE');
    const importsRunning = db.transaction(() => {
      db.prepare('DELETE FROM store_journal').run();
      db.prepare('DELETE FROM import_lock').run();
      return db
        .prepare(`UPDATE import_sessions SET status = 'interrupted', finished_at = coalesce(finished_at, ?),
          status_reason = 'a backup was taken while this import ran: it holds what the import had committed by then; run the import again to complete it'
          WHERE status = 'running'`)
        .run(snapshotAt).changes;
    })();
    return { keys: referencedStoreKeys(db), importsRunning, contents: libraryContents(db) };
  } finally {
    db.close();
  }
}

/**
 * Backs up the library at `libraryRoot` into `folder`, which becomes a library of its own (index and
 * store): the index through SQLite's online backup, so the library may be in use, then the objects
 * the copied index lists. Objects are immutable and only ever added while an index lists them, so
 * every object of the snapshot is in the store when copied after it. An earlier backup of the same
 * library in `folder` is brought up to date: only objects it lacks are copied. The new index takes
 * the old one's place only once its objects are all there, so the folder always holds a whole backup.
 */
export async function backupLibrary(libraryRoot: string, folder: string): Promise<BackupReport> {
  const started = Date.now();
  const source = libraryPaths(libraryRoot);
  if (!existsSync(source.database)) {
    throw new BackupError('no-library', `No library at ${libraryRoot} (no concord.sqlite there): nothing to back up.`);
  }
  const library = openLibrary(libraryRoot);
  const target = libraryPaths(folder);
  const snapshot = join(folder, `concord.sqlite.backup-${process.pid}.part`);
  let snapshotAt: string;
  let identity: LibraryIdentity;
  try {
    identity = library.db.prepare('SELECT library_id AS libraryId, created_at AS createdAt FROM library_identity').get() as LibraryIdentity;
    checkBackupFolder(folder, libraryRoot, identity);
    mkdirSync(join(target.store, 'objects'), { recursive: true });
    snapshotAt = new Date().toISOString();
    await snapshotDatabase(library.db, snapshot);
  } catch (error) {
    rmSync(snapshot, { force: true });
    throw error;
  } finally {
    library.close();
  }
  try {
    const settled = settleSnapshot(snapshot, snapshotAt);
    const copied = await copyObjects(source.store, target.store, settled.keys);
    writeStoreIdentity(target.store, identity);
    for (const extra of storeExtras(source.store)) {
      const to = join(target.store, extra);
      await copyFileDurably(join(source.store, extra), to, dirname(to));
    }
    await replaceDurably(snapshot, target.database, folder);
    for (const stale of ['-wal', '-shm', '-journal']) {
      rmSync(`${target.database}${stale}`, { force: true });
    }
    // Objects an earlier backup here held that the library no longer lists (an import's orphans
    // removed by its recovery), and copies a stopped backup left half made.
    let removed = 0;
    for (const key of storeKeys(target.store)) {
      if (!settled.keys.has(key)) {
        rmSync(objectPath(target.store, key), { force: true });
        removed += 1;
      }
    }
    rmSync(join(target.store, 'tmp'), { recursive: true, force: true });
    mkdirSync(join(target.store, 'tmp'));
    await syncDirectory(target.store);
    return {
      library: libraryRoot,
      backup: folder,
      libraryId: identity.libraryId,
      snapshotAt,
      contents: settled.contents,
      indexBytes: statSync(target.database).size,
      objects: { ...copied, removed },
      importsRunning: settled.importsRunning,
      durationMs: Date.now() - started,
    };
  } finally {
    rmSync(snapshot, { force: true });
  }
}
