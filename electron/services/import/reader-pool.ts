import { closeSync, existsSync, unlinkSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Analysis } from './analysis.ts';
import type { DiscoveredFile } from './discovery.ts';
import type { ReadReply, ReadRequest, ReaderSetup, RecycleRequest, StopRequest, WrittenCopy } from './reader-worker.ts';
import { READER_KIND } from './reader-worker.ts';
import { IMPORT_THREAD_LIMITS } from './thread-limits.ts';

/** A file read ahead by a reader thread: its bytes, what its header says, and maybe its copy. */
export interface ReadAhead {
  bytes: Buffer;
  analysis: Analysis;
  /** The copy the reader wrote into the store's temporary folder (open, not yet fsynced), if any. */
  written: WrittenCopy | null;
  /** Takes over the written copy: from then on the caller closes or removes it. */
  claim(): WrittenCopy;
  /** Keeps the bytes from being handed back until `release` (the caller writes them itself). */
  pin(): void;
  /** Hands the bytes back for reuse. */
  release(): void;
  /** After the file's outcome: removes an unclaimed copy and hands back unpinned bytes. */
  dispose(): void;
}

export type Prefetched = ReadAhead | { error: NodeJS.ErrnoException } | null;

/** What `take` answers when the import was asked to stop while it waited for a reader. */
export const STOPPED_WAITING = Symbol('stopped while waiting for a reader');

/** How often a wait for a reader checks whether the import was asked to stop. */
const STOP_POLL_MS = 100;
/**
 * How long `close` waits for a reader to answer. A read on failing media (a scratched disc the drive
 * retries) can stay in the kernel for minutes; past this, the reader is left behind so a cancel
 * finishes now. When its read returns it copies nothing, closes the file and ends by itself (it is
 * not terminated: a terminated thread would not close its descriptors, which Node does not track
 * for readers). Until then its thread holds the disc, and the process cannot exit.
 */
export const STOP_GRACE_MS = 3000;

/**
 * Reader threads to start: one per core, at least two (a reader spends much of its time waiting in
 * the kernel for reads and writes, so two keep even a two-core machine busy), at most four.
 */
export function defaultReaderCount(): number {
  return Math.max(2, Math.min(4, availableParallelism()));
}

/**
 * The built reader entry sits beside the built importer; from source, beside this module. Null when
 * neither exists (then files are read on the importer's own thread).
 */
export function readerEntry(): URL | null {
  for (const name of ['./import-reader.mjs', './reader-worker.ts']) {
    const url = new URL(name, import.meta.url);
    if (existsSync(fileURLToPath(url))) {
      return url;
    }
  }
  return null;
}

function removeCopy(copy: WrittenCopy): void {
  try {
    closeSync(copy.fd);
  } catch {
    // Already closed.
  }
  try {
    unlinkSync(copy.tempPath);
  } catch {
    // Left for the store's recovery, which clears its temporary folder.
  }
}

interface Slot {
  resolve: (value: Prefetched) => void;
  promise: Promise<Prefetched>;
  size: number;
  worker: number;
  taken: boolean;
  /** Answered already (or given up with its reader): a late reply's copy is removed. */
  settled: boolean;
}

export interface ReaderPoolOptions {
  entry: URL;
  count: number;
  databasePath: string;
  /** A fresh temporary name in the store for each copy a reader may write. */
  tempPath: () => string;
  wholeFileLimit: number;
  budgetBytes: number;
  maxFiles: number;
}

/**
 * Keeps reader threads busy with the files after the one being processed, within a byte and file
 * budget so memory stays flat whatever the media. A reader that fails leaves its files to the
 * importer, which then reads them itself: a slower import, never a lost file.
 */
export class ReaderPool {
  private readonly workers: (Worker | null)[] = [];
  private readonly stopped: (() => void)[] = [];
  private readonly slots = new Map<number, Slot>();
  private readonly options: ReaderPoolOptions;
  /** Tells readers to answer what is still queued without reading it. */
  private readonly stopFlag = new Int32Array(new SharedArrayBuffer(4));
  private next = 0;
  private reservedBytes = 0;
  private files: readonly DiscoveredFile[] = [];

  constructor(options: ReaderPoolOptions) {
    this.options = options;
    for (let i = 0; i < options.count; i += 1) {
      const setup: ReaderSetup = { kind: READER_KIND, databasePath: options.databasePath, stopFlag: this.stopFlag };
      // The copies a reader writes stay open for the importer's fsync and are closed there: Node must
      // not track (and close at thread exit) descriptors that another thread now owns.
      const worker = new Worker(options.entry, { workerData: setup, trackUnmanagedFds: false, resourceLimits: IMPORT_THREAD_LIMITS });
      worker.on('message', (reply: ReadReply) => this.receive(i, reply));
      worker.on('error', () => this.lose(i));
      worker.on('exit', () => this.lose(i));
      this.workers.push(worker);
    }
  }

  /** The files to read ahead, in the order they will be taken. */
  start(files: readonly DiscoveredFile[]): void {
    this.files = files;
    this.next = 0;
  }

  private receive(workerIndex: number, reply: ReadReply): void {
    if (reply.status === 'stopped') {
      this.stopped[workerIndex]?.();
      return;
    }
    const slot = this.slots.get(reply.index);
    if (!slot || slot.settled) {
      if (reply.status === 'read' && reply.written) {
        removeCopy(reply.written);
      }
      return;
    }
    if (reply.status === 'read') {
      slot.resolve(this.readAhead(workerIndex, reply));
    } else if (reply.status === 'error') {
      slot.resolve({ error: Object.assign(new Error(reply.message), { code: reply.code ?? undefined }) });
    } else {
      slot.resolve(null);
    }
  }

  private readAhead(workerIndex: number, reply: Extract<ReadReply, { status: 'read' }>): ReadAhead {
    let released = false;
    let pinned = false;
    let claimed = false;
    const release = (): void => {
      const worker = this.workers[workerIndex];
      if (released) {
        return;
      }
      released = true;
      worker?.postMessage({ type: 'recycle', buffer: reply.buffer } satisfies RecycleRequest, [reply.buffer]);
    };
    return {
      bytes: Buffer.from(reply.buffer, 0, reply.size),
      analysis: reply.analysis,
      written: reply.written,
      claim: () => {
        if (!reply.written || claimed) {
          throw new Error('no written copy to claim');
        }
        claimed = true;
        return reply.written;
      },
      pin: () => {
        pinned = true;
      },
      release,
      dispose: () => {
        if (reply.written && !claimed) {
          claimed = true;
          removeCopy(reply.written);
        }
        if (!pinned) {
          release();
        }
      },
    };
  }

  /**
   * A reader stuck in a read the kernel has not returned: its files are given up (the import stops
   * anyway). It ends by itself once the read returns (see STOP_GRACE_MS); a late reply's copy, if
   * any, is still removed by `receive`.
   */
  private abandon(workerIndex: number): void {
    const worker = this.workers[workerIndex];
    this.lose(workerIndex);
    worker?.unref();
  }

  /** A reader that died: what it had in hand is read by the importer instead. */
  private lose(workerIndex: number): void {
    if (!this.workers[workerIndex]) {
      return;
    }
    this.workers[workerIndex] = null;
    this.stopped[workerIndex]?.();
    for (const slot of this.slots.values()) {
      if (slot.worker === workerIndex) {
        slot.resolve(null);
      }
    }
  }

  private liveWorker(index: number): number | null {
    const live = this.workers.flatMap((worker, i) => (worker ? [i] : []));
    return live.length === 0 ? null : (live[index % live.length] as number);
  }

  private fill(from: number): void {
    const { wholeFileLimit, budgetBytes, maxFiles } = this.options;
    this.next = Math.max(this.next, from);
    while (
      this.next < this.files.length &&
      this.slots.size < maxFiles &&
      this.reservedBytes + (this.files[this.next]?.size ?? 0) <= budgetBytes
    ) {
      const file = this.files[this.next] as DiscoveredFile;
      const workerIndex = this.liveWorker(this.next);
      if (workerIndex === null) {
        return;
      }
      if (file.size <= wholeFileLimit) {
        let settle!: (value: Prefetched) => void;
        const promise = new Promise<Prefetched>((r) => {
          settle = r;
        });
        const slot: Slot = {
          resolve: (value) => {
            slot.settled = true;
            settle(value);
          },
          promise,
          size: file.size,
          worker: workerIndex,
          taken: false,
          settled: false,
        };
        this.slots.set(this.next, slot);
        this.reservedBytes += file.size;
        const request: ReadRequest = {
          type: 'read',
          index: this.next,
          path: file.absolutePath,
          wholeFileLimit,
          tempPath: this.options.tempPath(),
        };
        (this.workers[workerIndex] as Worker).postMessage(request);
      }
      this.next += 1;
    }
  }

  /**
   * The file at `index`, read ahead (or null: read it directly). Starts reading the ones after it.
   * While it waits for a reader, `stopRequested` is checked: a read that does not come back (failing
   * media) must not keep a cancel waiting. The file is then left to `close`.
   */
  async take(index: number, stopRequested: () => boolean = () => false): Promise<Prefetched | typeof STOPPED_WAITING> {
    this.fill(index);
    const slot = this.slots.get(index);
    if (!slot) {
      return null;
    }
    slot.taken = true;
    const result = slot.settled ? await slot.promise : await settledOrStopped(slot.promise, stopRequested);
    if (result === STOPPED_WAITING) {
      slot.taken = false; // close() disposes of it when (if) its reader answers
      return result;
    }
    this.slots.delete(index);
    this.reservedBytes -= slot.size;
    this.fill(index + 1);
    return result;
  }

  /**
   * Stops the readers once they have answered every request, removes the copies of files that were
   * read ahead but never taken (a cancelled or interrupted import), and ends the threads.
   */
  async close(graceMs = STOP_GRACE_MS): Promise<void> {
    Atomics.store(this.stopFlag, 0, 1);
    const answered = await Promise.all(
      this.workers.map((worker, i) =>
        worker
          ? withinGrace(
              new Promise<void>((resolve) => {
                this.stopped[i] = resolve;
                worker.postMessage({ type: 'stop' } satisfies StopRequest);
              }),
              graceMs,
            )
          : Promise.resolve(true),
      ),
    );
    answered.forEach((inTime, i) => {
      if (!inTime) {
        this.abandon(i);
      }
    });
    const untaken = [...this.slots.values()].filter((slot) => !slot.taken).map((slot) => slot.promise);
    for (const slot of this.slots.values()) {
      slot.resolve(null); // every reply has arrived; this only settles slots of a reader that died or was left behind
    }
    this.slots.clear();
    for (const result of await Promise.all(untaken)) {
      if (result && 'analysis' in result) {
        result.dispose();
      }
    }
    const workers = this.workers.filter((w): w is Worker => w !== null);
    this.workers.fill(null);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

async function settledOrStopped(promise: Promise<Prefetched>, stopRequested: () => boolean): Promise<Prefetched | typeof STOPPED_WAITING> {
  let timer: NodeJS.Timeout | undefined;
  const stopped = new Promise<typeof STOPPED_WAITING>((resolve) => {
    const check = (): void => {
      if (stopRequested()) {
        resolve(STOPPED_WAITING);
      } else {
        timer = setTimeout(check, STOP_POLL_MS);
      }
    };
    timer = setTimeout(check, STOP_POLL_MS);
  });
  try {
    return await Promise.race([promise, stopped]);
  } finally {
    clearTimeout(timer);
  }
}

/** True when `promise` settles within `ms`. */
async function withinGrace(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
