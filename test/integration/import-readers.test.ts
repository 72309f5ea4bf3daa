import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, constants, mkdirSync, openSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runImport } from '../../electron/services/import/importer.ts';
import { discover } from '../../electron/services/import/discovery.ts';
import { ReaderPool, STOPPED_WAITING, readerEntry } from '../../electron/services/import/reader-pool.ts';
import type { ReadAhead } from '../../electron/services/import/reader-pool.ts';
import { openLibrary } from '../../electron/services/library/database.ts';
import { ObjectStore } from '../../electron/services/store/object-store.ts';
import { verifyLibrary } from '../../electron/services/library/verify.ts';
import { corpus, haveCorpus } from '../support/environment.ts';
import { cleanupTempDirs, openIndex, tempDir } from '../support/library.ts';

const available = haveCorpus();
afterAll(cleanupTempDirs);

const CD = '03-breast-patient-cd-mr-us-mimbcd';

/** How many of this process's open descriptors point at `path` (Linux). */
function descriptorsOn(path: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(join('/proc/self/fd', fd)) === path;
    } catch {
      return false; // closed meanwhile
    }
  }).length;
}

function storeKeys(library: string): string[] {
  const db = openIndex(library);
  try {
    return (db.prepare('SELECT store_key FROM instances ORDER BY store_key').all() as { store_key: string }[]).map((r) => r.store_key);
  } finally {
    db.close();
  }
}

/**
 * Opens a FIFO for writing once and closes it, so a reader blocked opening it returns. On a loaded machine
 * the reader may reach its open only now: a writer cannot open a FIFO nobody reads (ENXIO), so it tries
 * until one does.
 */
async function releaseFifo(path: string): Promise<void> {
  for (let tries = 0; ; tries += 1) {
    try {
      closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENXIO' || tries >= 200) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

describe.skipIf(!available)('reader threads', () => {
  it('import the same outcomes, rows and store files as reading on the importer thread', async () => {
    const threaded = tempDir();
    const single = tempDir();
    const a = await runImport({ libraryRoot: threaded, source: corpus(CD), readers: 2 });
    const b = await runImport({ libraryRoot: single, source: corpus(CD), readers: 0 });
    expect(a.counts).toEqual(b.counts);
    expect(a.counts.imported).toBe(145);
    expect(storeKeys(threaded)).toEqual(storeKeys(single));
    for (const library of [threaded, single]) {
      expect(readdirSync(join(library, 'store', 'tmp'))).toEqual([]);
      const report = await verifyLibrary(library);
      expect(report.problems).toEqual([]);
      expect(report.orphans).toEqual([]);
      expect(report.ok).toBe(true);
    }
  });

  it('parse, hash and copy ahead from source, and leave no copy behind when closed early', async () => {
    const entry = readerEntry();
    expect(entry).not.toBeNull();
    const library = tempDir();
    const lib = openLibrary(library);
    const store = new ObjectStore(lib.paths.store);
    const files = discover(corpus(CD)).files.filter((f) => f.relativePath.startsWith('IMAGES'));
    expect(files.length).toBeGreaterThan(10);
    const pool = new ReaderPool({
      entry: entry as URL,
      count: 2,
      databasePath: lib.paths.database,
      tempPath: () => store.tempPath(),
      wholeFileLimit: 16 * 1024 * 1024,
      budgetBytes: 64 * 1024 * 1024,
      maxFiles: 8,
    });
    try {
      pool.start(files);
      const first = (await pool.take(0)) as ReadAhead;
      expect(first).not.toBeNull();
      expect('analysis' in first).toBe(true);
      expect(first.analysis.kind).toBe('instance');
      expect(first.analysis.kind === 'instance' && first.analysis.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(first.bytes.length).toBe(files[0]?.size);
      // Not yet in the library, so the reader wrote the copy; others are in flight or waiting.
      expect(first.written).not.toBeNull();
      // The files after it are read and copied ahead meanwhile.
      await vi.waitFor(() => expect(store.temporaries().length).toBeGreaterThan(1), { timeout: 10_000 });
      first.dispose();
    } finally {
      await pool.close();
      lib.close();
    }
    expect(store.temporaries()).toEqual([]);
  });

  it('let a cancel through while a read does not come back, and end the stuck reader once it does', async () => {
    // A FIFO with no writer stands for a failing disc: opening it blocks in the kernel, as a read the
    // drive keeps retrying does. Discovery never lists FIFOs; the pool is handed one directly.
    const media = tempDir();
    const stuck = join(media, 'STUCK');
    execFileSync('mkfifo', [stuck]);
    const library = tempDir();
    const lib = openLibrary(library);
    const store = new ObjectStore(lib.paths.store);
    const good = discover(corpus(CD)).files.filter((f) => f.relativePath.startsWith('IMAGES')).slice(0, 3);
    const pool = new ReaderPool({
      entry: readerEntry() as URL,
      count: 2, // the second reader reads (and copies) the good files while the first is stuck
      databasePath: lib.paths.database,
      tempPath: () => store.tempPath(),
      wholeFileLimit: 16 * 1024 * 1024,
      budgetBytes: 64 * 1024 * 1024,
      maxFiles: 8,
    });
    let stop = false;
    let answered = false;
    try {
      pool.start([{ absolutePath: stuck, relativePath: 'STUCK', size: 0 }, ...good]);
      const taking = pool.take(0, () => stop).then((result) => {
        answered = true;
        return result;
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(answered).toBe(false); // still in the kernel
      stop = true;
      expect(await taking).toBe(STOPPED_WAITING);
      // Without the grace period this would wait for the FIFO forever (and the test would time out).
      await pool.close(300);
    } finally {
      // Lets the blocked open return, so the left-behind thread can end.
      await releaseFifo(stuck);
      lib.close();
    }
    // The copies the other reader made of files never taken were removed; the stuck reader wrote none.
    await vi.waitFor(() => expect(store.temporaries()).toEqual([]), { timeout: 5_000 });
    // Once its read returned, the left-behind reader closed the file itself: nothing holds the media.
    await vi.waitFor(() => expect(descriptorsOn(stuck)).toBe(0), { timeout: 5_000 });
  }, 20_000);
});

describe.skipIf(!available)('a store that cannot be written', () => {
  it('stops the import as failed, keeps every committed instance intact, and a rerun completes it', async () => {
    const source = corpus(CD);
    const images = discover(source).files.filter((f) => f.relativePath.startsWith('IMAGES'));
    // The store folder one instance halfway through the media needs is a plain file: moving a copy
    // into it fails, as writes do on a failing or full disk (permissions would not stop root).
    const victim = images[Math.floor(images.length / 2)] as (typeof images)[number];
    const key = createHash('sha256').update(readFileSync(victim.absolutePath)).digest('hex');
    const library = tempDir();
    const created = openLibrary(library);
    const blocker = join(created.paths.store, 'objects', key.slice(0, 2));
    created.close();
    mkdirSync(dirname(blocker), { recursive: true });
    writeFileSync(blocker, 'not a folder');

    const failed = await runImport({ libraryRoot: library, source, batchFiles: 8, readers: 2 });
    expect(failed.status).toBe('failed');
    expect(failed.statusReason).toMatch(/the library could not be updated/);
    // Batches before the failing one are committed and intact; nothing after it was reported done.
    expect(failed.counts.imported).toBeGreaterThan(0);
    expect(failed.counts.imported).toBeLessThan(145);
    const committed = storeKeys(library);
    expect(committed).toHaveLength(failed.counts.imported);
    expect(committed).not.toContain(key);
    rmSync(blocker);
    const afterFailure = await verifyLibrary(library);
    expect(afterFailure.problems).toEqual([]);
    expect(afterFailure.orphans).toEqual([]);

    // Once the cause is gone, running the import again finishes it: recovery clears what the failed
    // run left in flight, and every instance ends up in the library once.
    const rerun = await runImport({ libraryRoot: library, source, readers: 2 });
    expect(rerun.status).toBe('completed');
    expect(rerun.counts.imported + rerun.counts['already-present']).toBeGreaterThanOrEqual(145);
    expect(storeKeys(library)).toHaveLength(145);
    expect(storeKeys(library)).toContain(key);
    const report = await verifyLibrary(library);
    expect(report.problems).toEqual([]);
    expect(report.orphans).toEqual([]);
    expect(report.ok).toBe(true);
  }, 60_000);
});
