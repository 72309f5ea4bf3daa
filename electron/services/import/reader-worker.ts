import Database from 'better-sqlite3';
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { Analysis } from './analysis.ts';
import { analyzeHeader } from './analysis.ts';
import { BufferPool } from './buffer-pool.ts';
import { inspectBytes } from './dicom-header.ts';
import { FileSource } from './file-source.ts';

/** Files over the limit are not read at all: no head is wanted. */
const NO_HEAD = Buffer.alloc(0);

/**
 * A reader thread: reads whole files from the media, checks and parses their headers, hashes them
 * and, for an instance the library does not hold yet, writes the copy into the store's temporary
 * folder. The importer decides every outcome, makes copies durable and indexes them; this thread
 * only saves it the work, on a second core.
 */

export const READER_KIND = 'concord-import-reader';

export interface ReaderSetup {
  kind: typeof READER_KIND;
  /** The library database, opened read-only to skip copying instances it already holds. */
  databasePath: string;
  /** Set to 1 when the import stops: requests still queued are answered without reading. */
  stopFlag: Int32Array;
}

export interface ReadRequest {
  type: 'read';
  index: number;
  path: string;
  /** Files larger than this are not read here: the importer copies them itself. */
  wholeFileLimit: number;
  /** Where a copy goes, if one is made: a fresh name in the store's temporary folder. */
  tempPath: string;
}

/** A buffer the importer has finished with, handed back for reuse. */
export interface RecycleRequest {
  type: 'recycle';
  buffer: ArrayBuffer;
}

/** Answered with `stopped` once every earlier request has been answered. */
export interface StopRequest {
  type: 'stop';
}

/** A copy written to a temporary file that is still open (for the importer's fsync). */
export interface WrittenCopy {
  fd: number;
  tempPath: string;
}

export type ReadReply =
  | { index: number; status: 'read'; analysis: Analysis; buffer: ArrayBuffer; size: number; written: WrittenCopy | null }
  | { index: number; status: 'too-large' }
  | { index: number; status: 'skipped' }
  | { index: number; status: 'error'; code: string | null; message: string }
  | { index: -1; status: 'stopped' };

class Reader {
  private readonly pool = new BufferPool(64 * 1024 * 1024);
  private readonly lookup: Statement<[{ uid: string }], unknown> | null;
  private readonly db: SqliteDatabase | null;
  private readonly stopFlag: Int32Array;

  constructor(setup: ReaderSetup) {
    this.stopFlag = setup.stopFlag;
    let db: SqliteDatabase | null;
    try {
      db = new Database(setup.databasePath, { readonly: true, fileMustExist: true });
    } catch {
      db = null; // Without it every instance is copied; the importer discards what it does not need.
    }
    this.db = db;
    this.lookup = db
      ? db.prepare('SELECT 1 FROM instances WHERE sop_instance_uid = @uid UNION ALL SELECT 1 FROM unfiled_instances WHERE sop_instance_uid = @uid')
      : null;
  }

  recycle(buffer: ArrayBuffer): void {
    this.pool.give(Buffer.from(buffer));
  }

  private inLibrary(uid: string): boolean {
    try {
      return this.lookup ? this.lookup.get({ uid }) !== undefined : false;
    } catch {
      return false;
    }
  }

  /** A copy is worth making only of an instance that will be imported, as far as can be told here. */
  private worthCopying(analysis: Analysis): boolean {
    if (analysis.kind !== 'instance' || analysis.isDirectory || analysis.hash === null) {
      return false;
    }
    const a = analysis.attributes;
    // An instance without study or series is copied too: it is stored as unfiled.
    return Boolean(a.sopInstanceUid) && !this.inLibrary(a.sopInstanceUid);
  }

  /** Writes the copy; on any failure leaves no file behind and lets the importer write (and report) it. */
  private writeCopy(bytes: Buffer, tempPath: string): WrittenCopy | null {
    let fd: number | null = null;
    try {
      fd = openSync(tempPath, 'wx', 0o644);
      let written = 0;
      while (written < bytes.length) {
        written += writeSync(fd, bytes, written, bytes.length - written, written);
      }
      return { fd, tempPath };
    } catch {
      if (fd !== null) {
        closeSync(fd);
        try {
          unlinkSync(tempPath);
        } catch {
          // Left for the store's recovery, which clears its temporary folder.
        }
      }
      return null;
    }
  }

  private stopped(): boolean {
    return Atomics.load(this.stopFlag, 0) === 1;
  }

  read(request: ReadRequest): ReadReply {
    if (this.stopped()) {
      return { index: request.index, status: 'skipped' };
    }
    const error = (e: unknown): ReadReply => {
      const { code, message } = e as NodeJS.ErrnoException;
      return { index: request.index, status: 'error', code: code ?? null, message };
    };
    let source: FileSource;
    try {
      // Reads the whole file into a pooled buffer when it is within the limit; otherwise nothing.
      source = FileSource.open(request.path, NO_HEAD, request.wholeFileLimit, (size) => this.pool.take(size));
    } catch (e) {
      return error(e);
    }
    try {
      if (source.size > request.wholeFileLimit) {
        return { index: request.index, status: 'too-large' };
      }
      const whole = source.head;
      if (whole.length !== source.size) {
        // The file shrank while it was read: never import (or copy) a cut-short instance.
        return error(Object.assign(new Error(`file ended at byte ${whole.length} while reading (expected ${source.size})`), { code: 'EIO' }));
      }
      if (this.stopped()) {
        // The import stopped while this file was read (a slow or failing disc): nobody waits for it.
        return { index: request.index, status: 'skipped' };
      }
      const analysis = analyzeHeader(inspectBytes(whole), whole);
      const written = this.worthCopying(analysis) ? this.writeCopy(whole, request.tempPath) : null;
      return { index: request.index, status: 'read', analysis, buffer: whole.buffer as ArrayBuffer, size: whole.length, written };
    } catch (e) {
      return error(e);
    } finally {
      try {
        source.close();
      } catch {
        // Nothing more to do with a source descriptor that will not close.
      }
    }
  }

  close(): void {
    this.db?.close();
  }
}

/** Call at module load: when this module runs as a reader thread, it serves read requests. */
export function serveReader(): boolean {
  if (isMainThread || !parentPort || (workerData as { kind?: string } | null)?.kind !== READER_KIND) {
    return false;
  }
  const port = parentPort;
  const reader = new Reader(workerData as ReaderSetup);
  port.on('message', (message: ReadRequest | RecycleRequest | StopRequest) => {
    if (message.type === 'recycle') {
      reader.recycle(message.buffer);
    } else if (message.type === 'stop') {
      reader.close();
      port.postMessage({ index: -1, status: 'stopped' } satisfies ReadReply);
      // Nothing more will come: the thread ends by itself, also one the pool stopped waiting for.
      port.close();
    } else {
      const reply = reader.read(message);
      try {
        port.postMessage(reply, reply.status === 'read' ? [reply.buffer] : []);
      } catch {
        // The reply cannot reach the importer: its copy must not outlive it.
        if (reply.status === 'read' && reply.written) {
          closeSync(reply.written.fd);
          unlinkSync(reply.written.tempPath);
        }
      }
    }
  });
  return true;
}

serveReader();
