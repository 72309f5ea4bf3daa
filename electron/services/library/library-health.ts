import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fileSize } from '../store/file-facts.ts';
import { LibraryError } from './library-error.ts';
import { IDENTITY_FILE, readStoreIdentity, storeHoldsObjects } from './library-identity.ts';
import type { LibraryIdentity } from './library-identity.ts';
import type { LibraryPaths } from './paths.ts';

export type LibraryDamage =
  | 'index-missing'
  | 'index-empty'
  | 'index-malformed'
  | 'index-foreign'
  | 'wal-without-index'
  | 'store-identity-unreadable';

/** A library Concord will not write to: what is wrong, and what the user can do. Nothing was changed. */
export class LibraryDamagedError extends LibraryError {
  readonly damage: LibraryDamage;
  readonly root: string;

  constructor(damage: LibraryDamage, root: string, problem: string) {
    super(`${problem} Concord has changed nothing in ${root}. ${remedy(root)}`);
    this.name = 'LibraryDamagedError';
    this.damage = damage;
    this.root = root;
  }
}

function remedy(root: string): string {
  return (
    `To go on: restore concord.sqlite from a backup of this library with 'concord restore --from <backup folder> --library ${root}' ` +
    "(a folder made by 'concord backup'; it puts back the index and the images it lacks and sets the damaged index and any stale " +
    '-wal aside), or move the library folder aside and open a new one.'
  );
}

/** Whether a sample of the objects the index lists is in the store (and the index lists any). */
function indexedObjectsAreInStore(db: Database.Database, storeRoot: string): boolean {
  const keys = (db.prepare('SELECT store_key AS key FROM instances ORDER BY id LIMIT 20').all() as { key: string }[]).map((r) => r.key);
  return keys.length > 0 && keys.every((key) => /^[0-9a-f]{64}$/.test(key) && fileSize(join(storeRoot, 'objects', key.slice(0, 2), key)) !== null);
}

/**
 * Checks, before any writer opens it, that the index at `paths.database` is healthy and is the index of
 * the store beside it. An index that is absent or empty beside a store that holds images, one that fails
 * SQLite's quick_check, or one that names another library is refused: taken for a new library, it would
 * orphan every stored image and lose every report. The look is read-only, so a leftover -wal is not
 * checkpointed into the database on the way.
 *
 * Returns the store's identity (null for a new store or one from before identities).
 */
export function checkLibraryBeforeWriting(paths: LibraryPaths): LibraryIdentity | null {
  let storeIdentity: LibraryIdentity | null;
  try {
    storeIdentity = readStoreIdentity(paths.store);
  } catch (error) {
    throw new LibraryDamagedError(
      'store-identity-unreadable',
      paths.root,
      `The store's identity file (${IDENTITY_FILE}) cannot be read: ${(error as Error).message}.`,
    );
  }
  const storeInUse = (): boolean => storeIdentity !== null || storeHoldsObjects(paths.store);
  const databaseSize = fileSize(paths.database);
  if (databaseSize === null) {
    if (fileSize(`${paths.database}-wal`)) {
      throw new LibraryDamagedError(
        'wal-without-index',
        paths.root,
        'The library index concord.sqlite is missing, but its write-ahead log (concord.sqlite-wal) is there.',
      );
    }
    if (storeInUse()) {
      throw new LibraryDamagedError(
        'index-missing',
        paths.root,
        'The library index concord.sqlite is missing, but the store beside it holds this library\'s images.',
      );
    }
    return storeIdentity;
  }
  if (databaseSize === 0) {
    if (storeInUse()) {
      throw new LibraryDamagedError(
        'index-empty',
        paths.root,
        'The library index concord.sqlite is empty (0 bytes), but the store beside it holds this library\'s images.',
      );
    }
    return storeIdentity;
  }
  let db: Database.Database | null = null;
  try {
    db = new Database(paths.database, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 10000');
    const check = db.pragma('quick_check', { simple: true }) as string;
    if (check !== 'ok') {
      throw new LibraryDamagedError('index-malformed', paths.root, `The library index concord.sqlite is damaged (SQLite's check says: ${check}).`);
    }
    const version = Number(db.pragma('user_version', { simple: true }));
    if (version === 0) {
      if (storeInUse()) {
        throw new LibraryDamagedError(
          'index-empty',
          paths.root,
          'The library index concord.sqlite holds no library, but the store beside it holds this library\'s images.',
        );
      }
      return storeIdentity;
    }
    const hasIdentityTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'library_identity'").get() !== undefined;
    const indexIdentity = hasIdentityTable
      ? ((db.prepare('SELECT library_id AS id FROM library_identity').get() as { id: string } | undefined)?.id ?? null)
      : null;
    // An index from before identities (a backup made before this version first opened the library) is
    // this store's when the images it lists are in the store.
    const legacyIndexOfThisStore = !hasIdentityTable && storeIdentity !== null && indexedObjectsAreInStore(db, paths.store);
    if (storeIdentity !== null && indexIdentity !== storeIdentity.libraryId && !legacyIndexOfThisStore) {
      throw new LibraryDamagedError(
        'index-foreign',
        paths.root,
        indexIdentity === null
          ? 'The library index concord.sqlite carries no library identity, but the store beside it belongs to library ' +
              `${storeIdentity.libraryId}: the index is not this store's.`
          : `The library index concord.sqlite belongs to library ${indexIdentity}, but the store beside it belongs to library ` +
              `${storeIdentity.libraryId}.`,
      );
    }
    return storeIdentity;
  } catch (error) {
    if (error instanceof LibraryDamagedError) {
      throw error;
    }
    const code = (error as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
      throw new LibraryDamagedError('index-malformed', paths.root, `The library index concord.sqlite is damaged: ${(error as Error).message}.`);
    }
    throw error;
  } finally {
    db?.close();
  }
}
