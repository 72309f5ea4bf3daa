import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { copyFile, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Database } from 'better-sqlite3';
import { LibraryError } from './library-error.ts';
import { IDENTITY_FILE } from './library-identity.ts';
import { fileSize, syncDirectory } from '../store/file-facts.ts';

/** Why a backup or a restore was refused; nothing was changed in the library it names. */
export type BackupRefusal =
  | 'no-library'
  | 'backup-folder-in-use'
  | 'not-a-backup'
  | 'backup-incomplete'
  | 'other-library'
  | 'target-not-a-library'
  | 'import-running'
  | 'signed-reports-would-be-lost'
  | 'target-unreadable';

export class BackupError extends LibraryError {
  readonly code: BackupRefusal;

  constructor(code: BackupRefusal, message: string) {
    super(message);
    this.name = 'BackupError';
    this.code = code;
  }
}

/** What an object copy did: the objects the index lists, those copied, those already there. */
export interface ObjectCopyCounts {
  listed: number;
  copied: number;
  alreadyPresent: number;
  bytesCopied: number;
}

export function objectPath(storeRoot: string, key: string): string {
  if (!/^[0-9a-f]{64}$/.test(key)) {
    throw new Error(`not a store key: ${key}`);
  }
  return join(storeRoot, 'objects', key.slice(0, 2), key);
}

/**
 * The store objects an index refers to: every `store_key` column of every table but the journal
 * (whose rows name objects of an import that had not committed them yet).
 */
export function referencedStoreKeys(db: Database): Set<string> {
  const tables = db
    .prepare(`SELECT m.name AS name FROM sqlite_master m, pragma_table_info(m.name) c
      WHERE m.type = 'table' AND c.name = 'store_key' AND m.name <> 'store_journal'`)
    .all() as { name: string }[];
  const keys = new Set<string>();
  for (const { name } of tables) {
    for (const row of db.prepare(`SELECT DISTINCT store_key AS key FROM "${name.replace(/"/g, '""')}"`).all() as { key: string }[]) {
      keys.add(row.key);
    }
  }
  return keys;
}

/**
 * Copies a database through SQLite's online backup into `file`, in one step: the copy is one read
 * transaction of the source, a consistent snapshot however the source is being written meanwhile.
 */
export async function snapshotDatabase(source: Database, file: string): Promise<void> {
  rmSync(file, { force: true });
  await source.backup(file, { progress: () => 0x7fffffff });
}

export function syncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Puts `temporary` in place of `target` and makes both the content and the rename durable. */
export async function replaceDurably(temporary: string, target: string, folder: string): Promise<void> {
  syncFile(temporary);
  renameSync(temporary, target);
  await syncDirectory(folder);
}

/**
 * Copies the objects named by `keys` from one store to another, each through a temporary name, an
 * fsync and a rename, so a copy is whole or absent. An object already in the target with the same
 * name and size is left as it is (objects are named by their content and never change). Throws,
 * naming them, when objects are missing from the source.
 */
export async function copyObjects(fromStore: string, toStore: string, keys: Iterable<string>): Promise<ObjectCopyCounts> {
  const counts: ObjectCopyCounts = { listed: 0, copied: 0, alreadyPresent: 0, bytesCopied: 0 };
  const temporaryFolder = join(toStore, 'tmp');
  mkdirSync(temporaryFolder, { recursive: true });
  const missing: string[] = [];
  const touchedShards = new Set<string>();
  const pending = [...keys];
  counts.listed = pending.length;
  const copyOne = async (key: string): Promise<void> => {
    const source = objectPath(fromStore, key);
    const target = objectPath(toStore, key);
    let size: number;
    try {
      size = (await stat(source)).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        missing.push(key);
        return;
      }
      throw error;
    }
    if (fileSize(target) === size) {
      counts.alreadyPresent += 1;
      return;
    }
    const temporary = join(temporaryFolder, `${randomBytes(12).toString('hex')}.part`);
    try {
      await copyFile(source, temporary);
      const handle = await open(temporary, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      const shard = join(toStore, 'objects', key.slice(0, 2));
      await mkdir(shard, { recursive: true });
      await rename(temporary, target);
      touchedShards.add(shard);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    counts.copied += 1;
    counts.bytesCopied += size;
  };
  // A few copies at once keep a disk busy without holding many files open.
  const workers = Array.from({ length: 4 }, async () => {
    for (let key = pending.pop(); key !== undefined; key = pending.pop()) {
      await copyOne(key);
    }
  });
  await Promise.all(workers);
  await Promise.all([...touchedShards].map((shard) => syncDirectory(shard)));
  if (touchedShards.size > 0) {
    await syncDirectory(join(toStore, 'objects'));
  }
  if (missing.length > 0) {
    throw new BackupError(
      'backup-incomplete',
      `${missing.length} object${missing.length === 1 ? '' : 's'} the index lists ${missing.length === 1 ? 'is' : 'are'} not in ${fromStore} ` +
        `(first: ${missing.sort()[0]}); run 'concord verify' on it.`,
    );
  }
  return counts;
}

/** Every object key in a store. */
export function storeKeys(storeRoot: string): string[] {
  const objects = join(storeRoot, 'objects');
  let shards: string[];
  try {
    shards = readdirSync(objects);
  } catch {
    return [];
  }
  return shards.flatMap((shard) => {
    try {
      return readdirSync(join(objects, shard)).filter((name) => /^[0-9a-f]{64}$/.test(name));
    } catch {
      return [];
    }
  });
}

/**
 * Files the store keeps beside its objects (other than the identity, written by the caller): paths
 * relative to the store, leaving out objects, the temporary folder and partial copies.
 */
export function storeExtras(storeRoot: string): string[] {
  const found: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      const name = relative(storeRoot, path);
      if (name === 'objects' || name === 'tmp' || name === IDENTITY_FILE || entry.name.endsWith('.part')) {
        continue;
      }
      if (entry.isDirectory()) {
        walk(path);
      } else if (entry.isFile()) {
        found.push(name);
      }
    }
  };
  walk(storeRoot);
  return found;
}

/** Copies one store file (an extra) through a temporary name, an fsync and a rename. */
export async function copyFileDurably(source: string, target: string, folder: string): Promise<number> {
  await mkdir(folder, { recursive: true });
  const temporary = `${target}.${randomBytes(6).toString('hex')}.part`;
  await copyFile(source, temporary);
  await replaceDurably(temporary, target, folder);
  return (await stat(target)).size;
}
