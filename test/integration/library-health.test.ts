import { Worker } from 'node:worker_threads';
import { copyFileSync, existsSync, openSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openLibrary } from '../../electron/services/library/database.ts';
import { LibraryDamagedError } from '../../electron/services/library/library-health.ts';
import { IDENTITY_FILE } from '../../electron/services/library/library-identity.ts';
import { migrate } from '../../electron/services/library/database.ts';
import { MIGRATIONS } from '../../electron/services/library/migrations/index.ts';
import { concord, concordJson } from '../support/cli.ts';
import { corpus, haveCorpus } from '../support/environment.ts';
import { cleanupTempDirs, count, openIndex, tempDir } from '../support/library.ts';

afterAll(cleanupTempDirs);

const available = haveCorpus();

/** A library holding the ten transfer-syntax images of the corpus. */
function importedLibrary(): string {
  const library = tempDir();
  concordJson(['import', corpus('08-transfer-syntaxes'), '--library', library]);
  return library;
}

function storeIdentity(library: string): string {
  return (JSON.parse(readFileSync(join(library, 'store', IDENTITY_FILE), 'utf8')) as { libraryId: string }).libraryId;
}

function objectCount(library: string): number {
  const objects = join(library, 'store', 'objects');
  return readdirSync(objects).reduce((n, shard) => n + readdirSync(join(objects, shard)).length, 0);
}

/** `concord studies` on the library: it must refuse, name the damage, and leave the library as it was. */
function expectRefused(library: string, reason: RegExp): void {
  const before = existsSync(join(library, 'concord.sqlite')) ? readFileSync(join(library, 'concord.sqlite')) : null;
  const objects = objectCount(library);
  for (const args of [['studies'], ['import', corpus('08-transfer-syntaxes')]]) {
    const result = concord([...args, '--library', library]);
    expect({ args, status: result.status }).toEqual({ args, status: 1 });
    expect(result.stderr).toMatch(reason);
    expect(result.stderr).toMatch(/Concord has changed nothing/);
    expect(result.stderr).toMatch(/restore concord\.sqlite from a backup/);
  }
  const after = existsSync(join(library, 'concord.sqlite')) ? readFileSync(join(library, 'concord.sqlite')) : null;
  expect(after?.equals(before ?? Buffer.alloc(0)) ?? before === null).toBe(true);
  expect(objectCount(library)).toBe(objects);
}

describe('a new library', () => {
  it('records one identity in its index and in its store', () => {
    const root = tempDir();
    const library = openLibrary(root);
    const id = (library.db.prepare('SELECT library_id AS id FROM library_identity').get() as { id: string }).id;
    library.close();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(storeIdentity(root)).toBe(id);
    // Opening again keeps it.
    openLibrary(root).close();
    expect(storeIdentity(root)).toBe(id);
  });

  it('is created once when many openers race for it', async () => {
    const root = tempDir();
    const openers = 16;
    const barrier = new SharedArrayBuffer(8);
    const flag = new Int32Array(barrier);
    const workers = Array.from({ length: openers }, () =>
      new Worker(new URL('../support/open-library-worker.ts', import.meta.url), { workerData: { root, barrier } }));
    const results = workers.map((worker) =>
      new Promise<{ ok: boolean; message?: string }>((resolvePromise, rejectPromise) => {
        worker.once('message', resolvePromise);
        worker.once('error', rejectPromise);
      }));
    let failed: unknown = null;
    results.forEach((result) => result.catch((error: unknown) => {
      failed = error;
    }));
    while (Atomics.load(flag, 1) < openers && failed === null) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(failed).toBeNull();
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    const outcomes = await Promise.all(results);
    await Promise.all(workers.map((w) => w.terminate()));
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    const db = openIndex(root);
    try {
      expect(count(db, 'SELECT count(*) AS n FROM library_identity')).toBe(1);
    } finally {
      db.close();
    }
  });

  it('takes an index from before identities as its own, and the store gets the same identity', () => {
    const root = tempDir();
    const db = new Database(join(root, 'concord.sqlite'));
    migrate(db, MIGRATIONS.filter((m) => m.version <= 80));
    db.close();
    const library = openLibrary(root);
    const id = (library.db.prepare('SELECT library_id AS id FROM library_identity').get() as { id: string }).id;
    library.close();
    expect(storeIdentity(root)).toBe(id);
  });
});

describe.skipIf(!available)('an index that is not this store\'s, or not whole, is refused', () => {
  it('refuses a deleted index and creates no new one', () => {
    const library = importedLibrary();
    rmSync(join(library, 'concord.sqlite'));
    rmSync(join(library, 'concord.sqlite-wal'), { force: true });
    rmSync(join(library, 'concord.sqlite-shm'), { force: true });
    expectRefused(library, /index concord\.sqlite is missing, but the store beside it holds this library's images/);
    expect(existsSync(join(library, 'concord.sqlite'))).toBe(false);
    expect(() => openLibrary(library)).toThrow(LibraryDamagedError);
  });

  it('refuses a truncated index', () => {
    const library = importedLibrary();
    truncateSync(join(library, 'concord.sqlite'), 0);
    rmSync(join(library, 'concord.sqlite-wal'), { force: true });
    expectRefused(library, /is empty \(0 bytes\)/);
  });

  it('refuses an index whose pages are damaged, and the host does not start on it', async () => {
    const library = importedLibrary();
    const file = join(library, 'concord.sqlite');
    const pageSize = 4096;
    const pages = statSync(file).size / pageSize;
    expect(pages).toBeGreaterThan(4);
    // Garbage over the middle pages: b-tree pages SQLite's quick_check reads.
    const fd = openSync(file, 'r+');
    try {
      for (let page = 2; page < pages; page += 2) {
        writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, page * pageSize);
      }
    } finally {
      closeSync(fd);
    }
    expectRefused(library, /index concord\.sqlite is damaged/);
    const serve = concord(['serve', '--library', library, '--port', '0']);
    expect(serve.status).not.toBe(0);
    expect(serve.stderr).toMatch(/is damaged/);
  });

  it('refuses another library\'s index put in place of this one\'s', () => {
    const library = importedLibrary();
    const other = tempDir();
    concordJson(['import', corpus('01-mg-wg04-ddsm-film-lmlo'), '--library', other]);
    expect(storeIdentity(other)).not.toBe(storeIdentity(library));
    for (const suffix of ['', '-wal', '-shm']) {
      rmSync(join(library, `concord.sqlite${suffix}`), { force: true });
      if (existsSync(join(other, `concord.sqlite${suffix}`))) {
        copyFileSync(join(other, `concord.sqlite${suffix}`), join(library, `concord.sqlite${suffix}`));
      }
    }
    expectRefused(library, new RegExp(`belongs to library ${storeIdentity(other)}, but the store beside it belongs to library ${storeIdentity(library)}`));
  });

  it('refuses a write-ahead log without its index', () => {
    const library = importedLibrary();
    copyFileSync(join(library, 'concord.sqlite'), join(library, 'concord.sqlite-wal'));
    rmSync(join(library, 'concord.sqlite'));
    expectRefused(library, /write-ahead log/);
  });

  it('still opens after the store lost its identity file, and writes it back', () => {
    const library = importedLibrary();
    const id = storeIdentity(library);
    rmSync(join(library, 'store', IDENTITY_FILE));
    const result = concord(['studies', '--library', library]);
    expect(result.status).toBe(0);
    expect(storeIdentity(library)).toBe(id);
  });
});
