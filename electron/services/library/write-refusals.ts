import { accessSync, constants, copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LibraryError } from './library-error.ts';
import type { LibraryPaths } from './paths.ts';

/** A write to a library opened for viewing only: names the folder and why it cannot be written. */
export class LibraryReadOnlyError extends LibraryError {
  readonly root: string;
  readonly reason: string;

  // (No parameter properties: this module also runs as plain TypeScript with types stripped.)
  constructor(root: string, reason: string, action = 'Nothing was changed') {
    super(`The library at ${root} is read-only: ${reason}. ${action}; Concord opened it for viewing only.`);
    this.name = 'LibraryReadOnlyError';
    this.root = root;
    this.reason = reason;
  }
}

function denial(error: unknown, what: string): string | null {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EROFS') {
    return `${what} is on a read-only file system`;
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return `${what} may not be written by this user`;
  }
  return null;
}

/**
 * Why the library at `paths` cannot be written (its folder, index or store on a read-only disk or
 * share, or not writable by this user), or null when it can, or does not exist yet.
 */
export function libraryWriteProblem(paths: LibraryPaths): string | null {
  const parts: [string, string][] = [
    [paths.root, 'its folder'],
    [paths.database, 'its index concord.sqlite'],
    [`${paths.database}-wal`, 'its write-ahead log concord.sqlite-wal'],
    [paths.store, 'its store'],
  ];
  for (const [path, what] of parts) {
    if (!existsSync(path)) {
      continue;
    }
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      const problem = denial(error, what);
      if (problem) {
        return problem;
      }
      throw error;
    }
  }
  return null;
}

/** Whether an error is SQLite refusing a write to a database it opened read-only. */
export function isReadOnlyWrite(error: unknown): boolean {
  return ((error as { code?: unknown }).code as string | undefined)?.startsWith?.('SQLITE_READONLY') === true;
}

/**
 * A snapshot of a read-only library's index in a temporary folder. SQLite cannot open a write-ahead-log
 * database read-only where it cannot create the shared-memory file beside it (a read-only folder), so
 * the index and its log are copied and the copy is opened read-only; the store is read where it is.
 */
export function snapshotIndex(paths: LibraryPaths): { database: string; remove: () => void } {
  const folder = mkdtempSync(join(tmpdir(), 'concord-read-only-'));
  const database = join(folder, 'concord.sqlite');
  try {
    if (existsSync(paths.database)) {
      copyFileSync(paths.database, database);
    }
    if (existsSync(`${paths.database}-wal`)) {
      copyFileSync(`${paths.database}-wal`, `${database}-wal`);
    }
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  return { database, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

/** Whether an error (or one it wraps) is the disk, or the user's quota, having no space left. */
export function isDiskFull(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth += 1) {
    if (typeof e.code === 'string' && DISK_FULL_CODES.has(e.code)) {
      return true;
    }
  }
  return false;
}
