import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';

const made: string[] = [];

export function tempDir(prefix = 'concord-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function cleanupTempDirs(): void {
  for (const dir of made.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Opens a library's database read-only, as an outside checker would. */
export function openIndex(libraryRoot: string): SqliteDatabase {
  return new Database(join(libraryRoot, 'concord.sqlite'), { readonly: true });
}

export function count(db: SqliteDatabase, sql: string, ...params: unknown[]): number {
  return (db.prepare(sql).get(...params) as { n: number }).n;
}
