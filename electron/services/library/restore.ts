import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import {
  BackupError, copyFileDurably, copyObjects, objectPath, referencedStoreKeys, replaceDurably, snapshotDatabase, storeExtras, storeKeys,
} from './backup-copy.ts';
import { fileSize, syncDirectory } from '../store/file-facts.ts';
import type { ObjectCopyCounts } from './backup-copy.ts';
import { libraryContents, signatures, signaturesLost } from './backup-contents.ts';
import type { LibraryContents, SignatureRecord } from './backup-contents.ts';
import { LATEST_SCHEMA_VERSION, openLibrary } from './database.ts';
import { runningImportProcess } from './import-lock.ts';
import { readStoreIdentity, writeStoreIdentity } from './library-identity.ts';
import type { LibraryIdentity } from './library-identity.ts';
import { libraryPaths } from './paths.ts';
import { verifyLibrary } from './verify.ts';
import type { VerifyReport } from './verify.ts';

export interface RestoreReport {
  library: string;
  backup: string;
  libraryId: string;
  contents: LibraryContents;
  objects: ObjectCopyCounts;
  /** Signatures the library held that the backup lacks, gone from the index (restored with --force). */
  signaturesLost: SignatureRecord[];
  /**
   * Where what the restore replaced was moved (the previous index, and store objects the backup does
   * not list, such as images imported after it): null when nothing was replaced.
   */
  setAside: { folder: string; index: boolean; objects: number } | null;
  verify: VerifyReport;
  durationMs: number;
}

export interface RestoreOptions {
  /** Restore even where signed reports the backup lacks would be lost, or the library's index cannot be read. */
  force?: boolean;
}

/** The backup folder's library: a healthy index that is its store's. Returns its identity. */
function checkBackup(folder: string): { identity: LibraryIdentity; signatures: SignatureRecord[] } {
  const paths = libraryPaths(folder);
  const notABackup = (why: string): BackupError =>
    new BackupError('not-a-backup', `${folder} is not a Concord backup: ${why}. Nothing was changed.`);
  if (!fileSize(paths.database)) {
    throw notABackup('it holds no concord.sqlite (or an empty one)');
  }
  let storeIdentity: LibraryIdentity | null;
  try {
    storeIdentity = readStoreIdentity(paths.store);
  } catch (error) {
    throw notABackup(`its store's identity cannot be read (${(error as Error).message})`);
  }
  let db: Database.Database | null = null;
  try {
    db = new Database(paths.database, { readonly: true, fileMustExist: true });
    const check = db.pragma('quick_check', { simple: true }) as string;
    if (check !== 'ok') {
      throw notABackup(`its index is damaged (SQLite's check says: ${check})`);
    }
    const version = Number(db.pragma('user_version', { simple: true }));
    if (version > LATEST_SCHEMA_VERSION) {
      throw notABackup(`its index was written by a newer version of Concord (schema ${version}; this version knows up to ${LATEST_SCHEMA_VERSION})`);
    }
    const hasIdentity = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'library_identity'").get() !== undefined;
    const indexIdentity = hasIdentity ? (db.prepare('SELECT library_id AS libraryId, created_at AS createdAt FROM library_identity').get() as LibraryIdentity | undefined) : undefined;
    if (!indexIdentity) {
      throw notABackup('its index carries no library identity');
    }
    if (!storeIdentity || storeIdentity.libraryId !== indexIdentity.libraryId) {
      throw notABackup(`its index belongs to library ${indexIdentity.libraryId}, but its store to ${storeIdentity?.libraryId ?? 'none'}`);
    }
    return { identity: indexIdentity, signatures: signatures(db) };
  } catch (error) {
    if (error instanceof BackupError) {
      throw error;
    }
    throw notABackup(`its index cannot be read (${(error as Error).message})`);
  } finally {
    db?.close();
  }
}

interface TargetState {
  /** The identity of the library in the target folder; null for a new folder. */
  libraryId: string | null;
  /** The signatures its index holds; null where it has no index or one that cannot be read. */
  signatures: SignatureRecord[] | null;
  /** Why its index cannot be read, where it cannot. */
  unreadable: string | null;
}

/** What is in the target folder now: whose library, which signatures, and whether an import runs there. */
function inspectTarget(root: string): TargetState {
  const paths = libraryPaths(root);
  let libraryId: string | null = null;
  let unreadable: string | null = null;
  try {
    libraryId = readStoreIdentity(paths.store)?.libraryId ?? null;
  } catch (error) {
    unreadable = `its store's identity cannot be read (${(error as Error).message})`;
  }
  if (!fileSize(paths.database)) {
    return { libraryId, signatures: null, unreadable };
  }
  let db: Database.Database | null = null;
  try {
    db = new Database(paths.database, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 10000');
    const hasLock = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'import_lock'").get() !== undefined;
    const importer = hasLock ? runningImportProcess(db) : null;
    if (importer !== null) {
      throw new BackupError(
        'import-running',
        `An import is running in ${root} (process ${importer}): wait for it to finish, or cancel it, before restoring. Nothing was changed.`,
      );
    }
    const hasIdentity = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'library_identity'").get() !== undefined;
    const indexId = hasIdentity ? ((db.prepare('SELECT library_id AS id FROM library_identity').get() as { id: string } | undefined)?.id ?? null) : null;
    return { libraryId: libraryId ?? indexId, signatures: signatures(db), unreadable };
  } catch (error) {
    if (error instanceof BackupError) {
      throw error;
    }
    return { libraryId, signatures: null, unreadable: `its index cannot be read (${(error as Error).message})` };
  } finally {
    db?.close();
  }
}

function describeSignature(s: SignatureRecord): string {
  return `${s.kind === 'report' ? 'report' : 'addendum to the report'} on study ${s.studyInstanceUid} signed by ${s.signedBy} at ${s.signedAt}`;
}

/**
 * Restores the backup in `folder` (made by `concord backup`) into the library at `root`: a new or
 * empty folder, or the same library (damaged or not), whose index is replaced and whose store gets
 * the objects it lacks. Refused, with nothing changed, where the target is another library, an
 * import runs in it, or it holds signatures the backup lacks (unless `force`). What is replaced is
 * moved aside, never deleted: the previous index and its -wal, and objects the backup does not list.
 */
export async function restoreLibrary(folder: string, root: string, options: RestoreOptions = {}): Promise<RestoreReport> {
  const started = Date.now();
  const backup = libraryPaths(folder);
  const target = libraryPaths(root);
  if (resolve(folder) === resolve(root)) {
    throw new BackupError('backup-folder-in-use', `${folder} is both the backup and the library to restore into. Nothing was changed.`);
  }
  const { identity, signatures: backupSignatures } = checkBackup(folder);
  if (existsSync(root) && readdirSync(root).length > 0 && !existsSync(target.store) && !existsSync(target.database)) {
    throw new BackupError(
      'target-not-a-library',
      `${root} is not empty and holds no Concord library: restore into a new or empty folder, or into the library the backup was made of. Nothing was changed.`,
    );
  }
  const state = inspectTarget(root);
  if (state.libraryId !== null && state.libraryId !== identity.libraryId) {
    throw new BackupError(
      'other-library',
      `${root} holds another library (${state.libraryId}); the backup is of library ${identity.libraryId}. ` +
        'Restore into a new folder, or move that library aside first. Nothing was changed.',
    );
  }
  const lost = state.signatures ? signaturesLost(state.signatures, backupSignatures) : [];
  if (!options.force) {
    if (state.unreadable !== null) {
      throw new BackupError(
        'target-unreadable',
        `${root}: ${state.unreadable}, so Concord cannot tell which signed reports restoring would lose. ` +
          'Run the restore again with --force to replace its index with the backup\'s (the old one is kept aside). Nothing was changed.',
      );
    }
    if (lost.length > 0) {
      const newest = backupSignatures.at(-1)?.signedAt;
      throw new BackupError(
        'signed-reports-would-be-lost',
        `${root} holds ${lost.length} signature${lost.length === 1 ? '' : 's'} the backup lacks ` +
          `(the backup's newest is ${newest ? `from ${newest}` : 'none: it holds no signed report'}); restoring would lose:\n` +
          `${lost.map((s) => `  ${describeSignature(s)}`).join('\n')}\n` +
          'Back up this library first, or run the restore again with --force. Nothing was changed.',
      );
    }
  }

  mkdirSync(join(target.store, 'objects'), { recursive: true });
  for (const name of readdirSync(root)) {
    if (/^concord\.sqlite\.restore-\d+\.part$/.test(name)) {
      rmSync(join(root, name), { force: true });
    }
  }
  const incoming = join(root, `concord.sqlite.restore-${process.pid}.part`);
  try {
    // Through the online backup, not a file copy, so a backup folder that is a live library (with a
    // -wal) restores whole too.
    const source = new Database(backup.database, { readonly: true, fileMustExist: true });
    let keys: Set<string>;
    let contents: LibraryContents;
    try {
      await snapshotDatabase(source, incoming);
      keys = referencedStoreKeys(source);
      contents = libraryContents(source);
    } finally {
      source.close();
    }
    const objects = await copyObjects(backup.store, target.store, keys);
    for (const extra of storeExtras(backup.store)) {
      const to = join(target.store, extra);
      if (!existsSync(to)) {
        await copyFileDurably(join(backup.store, extra), to, dirname(to));
      }
    }

    // What is replaced goes aside: the index with its -wal and -shm (a stale -wal beside the restored
    // index would be read into it), and objects the backup does not list.
    const asideFolder = join(root, `before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    let asideIndex = false;
    let asideObjects = 0;
    const setAside = (from: string, name: string): void => {
      mkdirSync(dirname(join(asideFolder, name)), { recursive: true });
      renameSync(from, join(asideFolder, name));
    };
    for (const suffix of ['', '-wal', '-shm', '-journal']) {
      if (existsSync(`${target.database}${suffix}`)) {
        setAside(`${target.database}${suffix}`, `concord.sqlite${suffix}`);
        asideIndex = true;
      }
    }
    await replaceDurably(incoming, target.database, root);
    if (readStoreIdentity(target.store)?.libraryId !== identity.libraryId) {
      writeStoreIdentity(target.store, identity);
    }
    for (const key of storeKeys(target.store)) {
      if (!keys.has(key)) {
        setAside(objectPath(target.store, key), join('objects', key));
        asideObjects += 1;
      }
    }
    rmSync(join(target.store, 'tmp'), { recursive: true, force: true });
    await syncDirectory(root);

    // Opening brings an index from an older Concord to this version's schema and checks it is the store's.
    openLibrary(root).close();
    const verify = await verifyLibrary(root);
    return {
      library: root,
      backup: folder,
      libraryId: identity.libraryId,
      contents,
      objects,
      signaturesLost: lost,
      setAside: asideIndex || asideObjects > 0 ? { folder: asideFolder, index: asideIndex, objects: asideObjects } : null,
      verify,
      durationMs: Date.now() - started,
    };
  } finally {
    rmSync(incoming, { force: true });
  }
}
