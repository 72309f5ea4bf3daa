import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, readdirSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** The store's copy of the library identity; the index holds the other (table library_identity). */
export const IDENTITY_FILE = 'library-identity.json';

export interface LibraryIdentity {
  libraryId: string;
  createdAt: string;
}

export function newLibraryIdentity(): LibraryIdentity {
  return { libraryId: randomUUID(), createdAt: new Date().toISOString() };
}

/** The identity the store carries; null where it carries none (a new store, or one from before identities). */
export function readStoreIdentity(storeRoot: string): LibraryIdentity | null {
  let text: string;
  try {
    text = readFileSync(join(storeRoot, IDENTITY_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return null;
    }
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<LibraryIdentity>;
  if (typeof parsed.libraryId !== 'string' || parsed.libraryId === '' || typeof parsed.createdAt !== 'string') {
    throw new Error(`${IDENTITY_FILE} in the store is not a library identity`);
  }
  return { libraryId: parsed.libraryId, createdAt: parsed.createdAt };
}

/** Writes the store's copy through a temporary name and a sync, so it is whole or absent. */
export function writeStoreIdentity(storeRoot: string, identity: LibraryIdentity): void {
  const target = join(storeRoot, IDENTITY_FILE);
  const temporary = `${target}.${process.pid}.${randomUUID()}.part`;
  const fd = openSync(temporary, 'wx', 0o644);
  try {
    writeSync(fd, `${JSON.stringify(identity, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, target);
}

/** Whether the store holds at least one object (stops at the first one found). */
export function storeHoldsObjects(storeRoot: string): boolean {
  const objects = join(storeRoot, 'objects');
  let shards: string[];
  try {
    shards = readdirSync(objects);
  } catch {
    return false;
  }
  for (const shard of shards) {
    try {
      if (readdirSync(join(objects, shard)).length > 0) {
        return true;
      }
    } catch {
      // not a folder: not an object shard
    }
  }
  return false;
}
