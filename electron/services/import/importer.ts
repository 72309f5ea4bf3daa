import { closeSync, readSync, rmSync, statSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { classifySopClass, isDisplayableKind } from '../../../shared/dicom/sop-classes.ts';
import type { ObjectKind } from '../../../shared/dicom/sop-classes.ts';
import { nonImageReason } from '../../../shared/import/outcomes.ts';
import type { FileOutcomeRecord, ImportProgress, ImportSummary } from '../../../shared/import/outcomes.ts';
import { openLibrary } from '../library/database.ts';
import { acquireImportLock } from '../library/import-lock.ts';
import { IndexWriter } from '../library/index-writer.ts';
import type { NewConflict, NewInstance, NewUnfiled } from '../library/index-writer.ts';
import { buildImportSummary } from '../library/import-summary.ts';
import { recoverLibrary } from '../library/recovery.ts';
import { isDiskFull } from '../library/write-refusals.ts';
import { ObjectStore } from '../store/object-store.ts';
import type { PendingObject } from '../store/object-store.ts';
import type { Analysis } from './analysis.ts';
import type { InstanceAttributes } from './attributes.ts';
import { analyzeHeader } from './analysis.ts';
import { HASH_ALGORITHM, contentHash } from '../store/hash.ts';
import { BufferPool } from './buffer-pool.ts';
import { compareDatasets } from './dataset-compare.ts';
import { readDicomHeader } from './dicom-header.ts';
import type { DicomHeader } from './dicom-header.ts';
import { FileSource } from './file-source.ts';
import { ReaderPool, STOPPED_WAITING, defaultReaderCount, readerEntry } from './reader-pool.ts';
import type { Prefetched, ReadAhead } from './reader-pool.ts';
import { discover, looksLikeDicomdir, toRelative } from './discovery.ts';
import { checkImportSource } from './source-check.ts';
import type { DiscoveredFile } from './discovery.ts';
import { CaseInsensitiveResolver, readDirectory } from './dicomdir.ts';
import type { DirectoryContents } from './dicomdir.ts';
import { generateProposals } from '../library/reconciliation.ts';
import { OUTSIDE_REPORT_FOUND, outsideReportKind } from '../../../shared/reports/outside-report-kind.ts';

export interface ImportOptions {
  libraryRoot: string;
  source: string;
  /** Checked between files; when it returns true the import commits what it has and stops. */
  isCancelled?: () => boolean;
  onProgress?: (progress: ImportProgress) => void;
  /** Files per durable batch (fsync, then one index transaction). */
  batchFiles?: number;
  /** Bytes per durable batch. */
  batchBytes?: number;
  /** Instances up to this size are read whole into memory; larger ones are copied by the kernel. */
  inMemoryLimit?: number;
  /** Reader threads that parse and hash ahead; 0 reads every file on the importer's own thread. */
  readers?: number;
  /** Test hook: `point:count` kills the process at a named point (see `crashPoint`). */
  crashAt?: string;
}

const HEAD_BYTES = 128 * 1024;
/** Instances up to this size are read whole and hashed here, then written on the thread pool. */
const IN_MEMORY_LIMIT = 16 * 1024 * 1024;
/** At most this many bytes of instances are held in memory waiting for their write. */
const IN_FLIGHT_LIMIT = 48 * 1024 * 1024;
const IN_FLIGHT_FILES = 256;
/** Files read ahead of the one being processed, and the bytes they may hold. */
const READ_AHEAD_FILES = 32;
const READ_AHEAD_BYTES = 48 * 1024 * 1024;
const COPY_CHUNK = 1024 * 1024;
const PROGRESS_INTERVAL_MS = 100;
/** A batch is committed at the latest this long after it started, so studies appear while slow media import. */
const BATCH_MAX_MS = 1000;
const MEDIA_GONE_CODES = new Set(['ENOENT', 'EIO', 'ENXIO', 'ENODEV', 'ENOMEDIUM', 'ESTALE']);

interface StagedInstance {
  instance: NewInstance;
  object: PendingObject;
  outcome: FileOutcomeRecord;
}

interface StagedConflict {
  conflict: NewConflict;
  object: PendingObject;
  outcome: FileOutcomeRecord;
}

interface StagedUnfiled {
  unfiled: NewUnfiled;
  object: PendingObject;
  outcome: FileOutcomeRecord;
}

interface Batch {
  startedAt: number;
  instances: StagedInstance[];
  conflicts: StagedConflict[];
  unfiled: StagedUnfiled[];
  outcomes: FileOutcomeRecord[];
  bytes: number;
}

function newBatch(): Batch {
  return { startedAt: Date.now(), instances: [], conflicts: [], unfiled: [], outcomes: [], bytes: 0 };
}

/**
 * Why an instance cannot be placed in a study: it is stored and listed as unfiled, never guessed into one.
 * (Called only when one of the two UIDs is missing.)
 */
function unfiledReason(a: InstanceAttributes): string {
  const missing = [
    a.studyInstanceUid ? null : 'Study Instance UID (0020,000D)',
    a.seriesInstanceUid ? null : 'Series Instance UID (0020,000E)',
  ].filter(Boolean);
  return `no ${missing.join(' and no ')}: stored, waiting to be filed into a study by a person`;
}

interface SealFailure {
  object: PendingObject;
  error: Error;
}

/** Seals every object of a batch; a copy that failed is returned, not thrown, so the rest still lands. */
function sealAll(objects: PendingObject[]): Promise<SealFailure[]> {
  return Promise.all(
    objects.map((object) => object.seal().then(() => null, (error: unknown) => ({ object, error: error as Error }))),
  ).then((results) => results.filter((r): r is SealFailure => r !== null));
}

function batchObjects(batch: Batch): PendingObject[] {
  return [...batch.instances.map((s) => s.object), ...batch.conflicts.map((s) => s.object), ...batch.unfiled.map((s) => s.object)];
}

/** The index could not be written (disk full, I/O error): the import stops, it never goes on silently. */
export class CommitError extends Error {
  constructor(cause: unknown) {
    super(`the library could not be updated: ${(cause as Error).message ?? String(cause)}`, { cause });
    this.name = 'CommitError';
  }
}

/**
 * Imports every DICOM instance under `source` into the library. File work is synchronous (run it in a
 * worker); only the batched fsyncs go to the thread pool, overlapping the copy of the next batch.
 */
export async function runImport(options: ImportOptions): Promise<ImportSummary> {
  const source = resolve(options.source);
  checkImportSource(source);
  const library = openLibrary(options.libraryRoot, { forWriting: true });
  let release: (() => void) | null = null;
  try {
    release = acquireImportLock(library.db);
    const store = new ObjectStore(library.paths.store);
    recoverLibrary(library.db, store);
    return await new ImportRun(library.db, store, source, options).run();
  } finally {
    releaseLock(release);
    library.close();
  }
}

/** Gives the import lock back; on a full disk the lock row may not be deletable, and the next import takes over a dead holder's lock. */
function releaseLock(release: (() => void) | null): void {
  try {
    release?.();
  } catch (error) {
    if (!isDiskFull(error)) {
      throw error;
    }
  }
}

class ImportRun {
  private readonly writer: IndexWriter;
  private readonly head = Buffer.allocUnsafe(HEAD_BYTES);
  private readonly chunk = Buffer.allocUnsafe(COPY_CHUNK);
  private readonly sessionId: number;
  private readonly startedAt = new Date();
  private readonly batchFiles: number;
  private readonly inMemoryLimit: number;
  private readonly batchBytes: number;
  private readonly crash: { point: string; remaining: number } | null;

  /** The batch being filled. */
  private batch: Batch = newBatch();
  /**
   * The newest batch's commit: it starts once that batch's fsyncs are done and the batch before it is
   * committed, so batches commit in order and each as soon as it can (see `rotate`). It settles only
   * after its batch's fsyncs, even when an earlier commit failed.
   */
  private committing: Promise<void> = Promise.resolve();
  /** The commit of the batch before the newest one: what `rotate` waits for, to bound the work in flight. */
  private previousCommit: Promise<void> = Promise.resolve();
  private commitFailed = false;
  /** SOP Instance UIDs of instances copied but not yet committed (all three batches). */
  private readonly stagedUids = new Set<string>();
  /** Objects whose hash and write may still be running, oldest first, and their bytes. */
  private readonly inFlight: PendingObject[] = [];
  private readonly buffers = new BufferPool(IN_FLIGHT_LIMIT);
  /** Reader threads that parse and hash the next files; null reads them here. */
  private readers: ReaderPool | null = null;
  private inFlightBytes = 0;

  private filesFound = 0;
  private filesProcessed = 0;
  private instancesImported = 0;
  private instancesIndexed = 0;
  private bytesTotal = 0;
  private bytesProcessed = 0;
  private lastProgress = 0;
  private phase: ImportProgress['phase'] = 'discovering';

  constructor(
    private readonly db: Database,
    private readonly store: ObjectStore,
    private readonly source: string,
    private readonly options: ImportOptions,
  ) {
    this.writer = new IndexWriter(db);
    this.batchFiles = options.batchFiles ?? 256;
    this.inMemoryLimit = options.inMemoryLimit ?? IN_MEMORY_LIMIT;
    this.batchBytes = options.batchBytes ?? 128 * 1024 * 1024;
    const [point, count] = (options.crashAt ?? '').split(':');
    this.crash = point ? { point, remaining: Number(count ?? '1') || 1 } : null;
    this.sessionId = Number(
      db
        .prepare("INSERT INTO import_sessions (source_path, started_at, status) VALUES (?, ?, 'running')")
        .run(source, this.startedAt.toISOString()).lastInsertRowid,
    );
  }

  /** Fault injection for the crash tests: dies hard, as a kill or power loss would. */
  private crashPoint(point: string): void {
    if (this.crash && this.crash.point === point) {
      this.crash.remaining -= 1;
      if (this.crash.remaining <= 0) {
        process.kill(process.pid, 'SIGKILL');
      }
    }
  }

  private progress(force = false): void {
    const now = Date.now();
    if (!this.options.onProgress || (!force && now - this.lastProgress < PROGRESS_INTERVAL_MS)) {
      return;
    }
    this.lastProgress = now;
    const seconds = (now - this.startedAt.getTime()) / 1000;
    const rate = seconds > 0 ? this.bytesProcessed / seconds : 0;
    this.options.onProgress({
      sessionId: this.sessionId,
      phase: this.phase,
      filesFound: this.filesFound,
      filesProcessed: this.filesProcessed,
      instancesImported: this.instancesImported,
      instancesIndexed: this.instancesIndexed,
      bytesTotal: this.bytesTotal,
      bytesProcessed: this.bytesProcessed,
      bytesPerSecond: Math.round(rate),
      secondsLeft: rate > 0 && this.phase === 'importing' ? Math.max(0, (this.bytesTotal - this.bytesProcessed) / rate) : null,
    });
  }

  /** Started before discovery, so the threads load while the media is listed. */
  private startReaders(): ReaderPool | null {
    const count = this.options.readers ?? defaultReaderCount();
    const entry = count > 0 ? readerEntry() : null;
    return entry
      ? new ReaderPool({
          entry,
          count,
          databasePath: this.db.name,
          tempPath: () => this.store.tempPath(),
          wholeFileLimit: this.inMemoryLimit,
          budgetBytes: READ_AHEAD_BYTES,
          maxFiles: READ_AHEAD_FILES,
        })
      : null;
  }

  async run(): Promise<ImportSummary> {
    let status: 'completed' | 'cancelled' | 'interrupted' | 'failed';
    let statusReason: string | null;
    let diskFull = false;
    this.readers = this.startReaders();
    try {
      [status, statusReason] = await this.importAll();
    } catch (error) {
      diskFull = isDiskFull(error);
      if (!(error instanceof CommitError) && !diskFull) {
        throw error;
      }
      // What was committed stands; the rest is left for a run after the cause is fixed. The next
      // import's recovery removes store files whose rows never committed.
      status = 'failed';
      statusReason = diskFull
        ? `disk full: the disk of the library at ${dirname(this.db.name)} has no space left (${(error as Error).message}); ` +
          'the files after the last committed batch were not imported: free space and run the import again'
        : `${(error as Error).message}; the files after the last committed batch were not imported: fix the cause and run the import again`;
    } finally {
      // Whatever way the run ends, nothing of it may still be writing once the library is closed.
      // (`committing` settles after every batch's fsyncs and every commit before it.)
      await this.committing.catch(() => undefined);
      await this.readers?.close();
      this.readers = null;
    }
    const finishedAt = new Date();
    if (diskFull) {
      // The partial copies go first: the space they free lets the session keep its cause.
      this.store.clearTemporaries();
    }
    let recorded = true;
    try {
      this.db
        .prepare('UPDATE import_sessions SET status = ?, status_reason = ?, finished_at = ?, files_seen = ? WHERE id = ?')
        .run(status, statusReason, finishedAt.toISOString(), this.filesFound, this.sessionId);
    } catch (error) {
      // Not even the session's end fits on the disk: the caller is still told why the import ended.
      if (!diskFull || !isDiskFull(error)) {
        throw error;
      }
      recorded = false;
    }
    // Link proposals for what this import brought (never links: a person decides). On a full disk
    // they are left for the next import or the patients view to propose.
    if (!diskFull) {
      generateProposals(this.db, finishedAt);
    }
    this.progress(true);
    const summary = buildImportSummary(this.db, this.sessionId);
    return recorded ? summary : { ...summary, status, statusReason, finishedAt: finishedAt.toISOString() };
  }

  private async importAll(): Promise<['completed' | 'cancelled' | 'interrupted', string | null]> {
    let status: 'completed' | 'cancelled' | 'interrupted' = 'completed';
    let statusReason: string | null = null;
    this.progress(true);
    const discovery = discover(this.source, (filesFound) => {
      this.filesFound = filesFound;
      this.progress();
    });
    this.filesFound = discovery.files.length + discovery.skipped.length;
    this.bytesTotal = discovery.totalBytes;
    for (const folder of discovery.unreadableFolders) {
      this.record({ path: folder.relativePath, outcome: 'unreadable', reason: `folder cannot be listed: ${folder.reason}` });
    }

    // DICOMDIRs first: they name what the media should hold, so missing files can be reported.
    const directories = discovery.files.filter((f) => looksLikeDicomdir(f.relativePath));
    const others = discovery.files.filter((f) => !looksLikeDicomdir(f.relativePath));
    this.phase = 'importing';
    const listed = new Map<string, string>();
    for (const file of directories) {
      if (await this.processFile(file, listed)) {
        await this.drain();
        return ['interrupted', 'the source stopped being readable while its DICOMDIR was read (media removed?); run the import again'];
      }
    }
    for (const entry of discovery.skipped) {
      // A DICOMDIR may list a link: it is there, but not read, which says more than "missing".
      listed.delete(entry.relativePath);
      this.record({ path: entry.relativePath, outcome: 'unreadable', reason: entry.reason });
    }
    for (const [path, reason] of listed) {
      this.record({ path, outcome: 'missing', reason });
    }

    this.readers?.start(others);
    for (const [index, file] of others.entries()) {
      if (this.commitFailed) {
        break; // the drain below rethrows the failure: nothing more goes into a store that cannot be written
      }
      if (this.options.isCancelled?.()) {
        status = 'cancelled';
        statusReason = `cancelled after ${this.filesProcessed} of ${this.filesFound} files`;
        break;
      }
      const prefetched = this.readers ? await this.readers.take(index, () => this.options.isCancelled?.() === true) : null;
      if (prefetched === STOPPED_WAITING) {
        status = 'cancelled';
        statusReason = `cancelled after ${this.filesProcessed} of ${this.filesFound} files, while ${file.relativePath} was still being read`;
        break;
      }
      const gone = await this.processFile(file, null, prefetched);
      if (gone) {
        status = 'interrupted';
        statusReason =
          `the source stopped being readable after ${this.filesProcessed} of ${this.filesFound} files ` +
          `(media removed?); run the import again to finish`;
        break;
      }
      const filled = this.batch.instances.length + this.batch.conflicts.length + this.batch.unfiled.length;
      const age = Date.now() - this.batch.startedAt;
      if (filled >= this.batchFiles || this.batch.bytes >= this.batchBytes || (filled > 0 && age >= BATCH_MAX_MS)) {
        await this.rotate();
      }
    }
    this.phase = 'finishing';
    await this.drain();
    return [status, statusReason];
  }

  private record(partial: Partial<FileOutcomeRecord> & Pick<FileOutcomeRecord, 'path' | 'outcome'>): FileOutcomeRecord {
    const record: FileOutcomeRecord = {
      reason: null,
      sopInstanceUid: null,
      sopClassUid: null,
      objectKind: null,
      bytes: null,
      notes: [],
      ...partial,
    };
    this.batch.outcomes.push(record);
    return record;
  }

  private sourceGone(error: unknown): boolean {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code && !MEDIA_GONE_CODES.has(code)) {
      return false;
    }
    try {
      statSync(this.source);
      return false;
    } catch {
      return true;
    }
  }

  /** Returns true when the source media has gone away. */
  private async processFile(file: DiscoveredFile, directoryListing: Map<string, string> | null, prefetched: Prefetched = null): Promise<boolean> {
    const path = file.relativePath;
    if (prefetched && 'error' in prefetched) {
      if (this.sourceGone(prefetched.error)) {
        return true;
      }
      this.record({ path, outcome: 'unreadable', reason: `cannot read file (${prefetched.error.code ?? 'error'}): ${prefetched.error.message}`, bytes: file.size });
      this.finishFile(file);
      return false;
    }
    let analysis: Analysis;
    let source: FileSource | null;
    let header: DicomHeader | null = null;
    if (prefetched) {
      analysis = prefetched.analysis;
      source = FileSource.fromBuffer(prefetched.bytes);
    } else {
      const result = readDicomHeader(file.absolutePath, this.head, this.inMemoryLimit, (size) => this.buffers.take(size));
      analysis = analyzeHeader(result, null);
      source = result.ok ? result.source : null;
      header = result.ok ? result.header : null;
    }
    try {
      return await this.decide(file, analysis, source, header, prefetched, directoryListing);
    } finally {
      source?.close();
      prefetched?.dispose();
    }
  }

  private finishFile(file: DiscoveredFile): void {
    this.filesProcessed += 1;
    this.bytesProcessed += file.size;
    this.progress();
  }

  /** Gives one analysed file its outcome. Returns true when the source media has gone away. */
  private async decide(
    file: DiscoveredFile,
    analysis: Analysis,
    source: FileSource | null,
    /** The parsed header, when the file was read on this thread. */
    header: DicomHeader | null,
    readAhead: ReadAhead | null,
    directoryListing: Map<string, string> | null,
  ): Promise<boolean> {
    const path = file.relativePath;
    if (analysis.kind === 'problem') {
      if (analysis.problem === 'unreadable' && this.sourceGone(null)) {
        return true;
      }
      this.record({ path, outcome: analysis.problem, reason: analysis.reason, bytes: file.size });
      this.finishFile(file);
      return false;
    }
    const { attributes } = analysis;
    const kind: ObjectKind = analysis.isDirectory ? 'media-directory' : classifySopClass(attributes.sopClassUid);
    try {
      if (kind === 'media-directory') {
        this.readDirectoryFile(file, header, directoryListing);
      } else if (attributes.sopInstanceUid && (!attributes.studyInstanceUid || !attributes.seriesInstanceUid)) {
        await this.takeInstance(file, analysis, kind, source as FileSource, readAhead, unfiledReason(attributes));
      } else if (!attributes.sopInstanceUid) {
        this.record({
          path,
          outcome: 'no-sop-instance-uid',
          reason: 'the dataset has no SOP Instance UID (0008,0018), so it cannot be identified or deduplicated',
          sopClassUid: attributes.sopClassUid || null,
          objectKind: kind,
          bytes: file.size,
        });
      } else {
        await this.takeInstance(file, analysis, kind, source as FileSource, readAhead);
      }
    } catch (error) {
      if (error instanceof CommitError) {
        throw error;
      }
      if (this.sourceGone(error)) {
        return true;
      }
      this.record({ path, outcome: 'unreadable', reason: `read error: ${(error as Error).message}`, bytes: file.size });
    }
    this.finishFile(file);
    return false;
  }

  /**
   * Records what a media directory lists, from its parsed header; one a reader thread found by its
   * content (its parsed dataset stayed there) is read again here.
   */
  private readDirectoryFile(file: DiscoveredFile, header: DicomHeader | null, listing: Map<string, string> | null): void {
    if (header) {
      this.recordDirectory(file, readDirectory(header.dataSet, file.absolutePath, new CaseInsensitiveResolver()), listing);
      return;
    }
    const result = readDicomHeader(file.absolutePath, this.head);
    if (!result.ok) {
      throw new Error(`media directory (DICOMDIR) cannot be read again: ${result.reason}`);
    }
    try {
      this.recordDirectory(file, readDirectory(result.header.dataSet, file.absolutePath, new CaseInsensitiveResolver()), listing);
    } finally {
      result.source.close();
    }
  }

  private recordDirectory(
    file: DiscoveredFile,
    contents: DirectoryContents,
    listing: Map<string, string> | null,
  ): void {
    let missing = 0;
    for (const reference of contents.references) {
      if (reference.resolvedPath === null) {
        missing += 1;
        const where = toRelative(this.source, resolve(file.absolutePath, '..', reference.fileId));
        listing?.set(
          where,
          `listed in ${file.relativePath} (${reference.recordType || 'record'}` +
            `${reference.referencedSopInstanceUid ? `, SOP Instance UID ${reference.referencedSopInstanceUid}` : ''}) but not on the media`,
        );
      }
    }
    this.record({
      path: file.relativePath,
      outcome: 'media-directory',
      reason:
        `DICOMDIR: ${contents.records} records, ${contents.references.length} file references, ${missing} missing`,
      objectKind: 'media-directory',
      bytes: file.size,
    });
  }

  /** Hashes the whole source, starting from the header bytes already read. */
  private hash(source: FileSource): string {
    const hash = createHash(HASH_ALGORITHM);
    hash.update(source.head);
    let offset = source.head.length;
    const fd = source.descriptor;
    while (offset < source.size && fd !== null) {
      const n = readSync(fd, this.chunk, 0, Math.min(COPY_CHUNK, source.size - offset), offset);
      if (n === 0) {
        throw Object.assign(new Error(`file ended at byte ${offset} while reading (expected ${source.size})`), { code: 'EIO' });
      }
      hash.update(this.chunk.subarray(0, n));
      offset += n;
    }
    return hash.digest('hex');
  }

  /**
   * Starts the copy of the source into the store's temporary folder. Instances up to a size are read
   * whole and hashed and written on the thread pool; larger ones are hashed here while read, then
   * copied by the kernel. Bytes in flight are bounded, so memory stays flat whatever the media.
   */
  private async stage(file: DiscoveredFile, source: FileSource, knownHash: string | null, readAhead: ReadAhead | null): Promise<PendingObject> {
    if (readAhead?.written && knownHash) {
      // A reader thread already wrote this very content; it only needs its fsync.
      const copy = readAhead.claim();
      const object = this.store.begin(copy.tempPath);
      try {
        object.adopt(copy.fd, source.size, knownHash);
        this.crashPoint('after-copy');
        return object;
      } catch {
        // Not the copy it should be: remove it and write the bytes here instead.
        closeSync(copy.fd);
        rmSync(copy.tempPath, { force: true });
      }
    }
    const object = this.store.begin();
    if (source.size > this.inMemoryLimit) {
      object.startFromFile(file.absolutePath, source.size);
    } else {
      while (
        this.inFlight.length > 0 &&
        (this.inFlightBytes + source.size > IN_FLIGHT_LIMIT || this.inFlight.length >= IN_FLIGHT_FILES)
      ) {
        const oldest = this.inFlight.shift() as PendingObject;
        await oldest.settled();
        this.inFlightBytes -= oldest.size;
      }
      const bytes = source.readAll();
      readAhead?.pin();
      object.startFromBytes(bytes, knownHash ?? contentHash(bytes));
      // The buffer goes back to its pool once written; until then nothing else touches it.
      void object.settled().then(() => (readAhead ? readAhead.release() : this.buffers.give(bytes)));
      this.inFlight.push(object);
      this.inFlightBytes += source.size;
    }
    this.crashPoint('after-copy');
    return object;
  }

  private async takeInstance(
    file: DiscoveredFile,
    analysis: Extract<Analysis, { kind: 'instance' }>,
    kind: ObjectKind,
    source: FileSource,
    readAhead: ReadAhead | null,
    /** Set when the instance has no study to go in: it is stored and listed as unfiled. */
    unfiled: string | null = null,
  ): Promise<void> {
    const { transferSyntaxUid, attributes, hash: knownHash } = analysis;
    const uid = attributes.sopInstanceUid;
    const base = {
      path: file.relativePath,
      sopInstanceUid: uid,
      sopClassUid: attributes.sopClassUid || null,
      objectKind: kind,
      bytes: source.size,
      notes: analysis.notes,
    };
    if (analysis.ambiguity !== null) {
      await this.keepAmbiguousAside(file, source, knownHash, readAhead, base, analysis.ambiguity);
      return;
    }
    const displayable = isDisplayableKind(kind);
    const reportKind = outsideReportKind(attributes);
    // An outside report opens in the reporting pane: saying "not displayed" of it would mislead.
    const notShown = reportKind ? OUTSIDE_REPORT_FOUND : displayable ? null : nonImageReason(kind);
    if (this.stagedUids.has(uid)) {
      // A copy with this UID is still on its way into the store: settle it (committed or dropped)
      // before deciding, so this file is never called "already present" on the strength of a copy
      // that then fails.
      await this.drain();
    }
    // After the drain, an instance with this UID is either in the index or nowhere.
    const existing = this.writer.lookup(uid);

    if (!existing) {
      const object = await this.stage(file, source, knownHash, readAhead);
      const instance: NewInstance = {
        attributes,
        objectKind: kind,
        displayable,
        transferSyntaxUid,
        originalAttributes: JSON.stringify(attributes),
        storeKey: '', // known once the hash completes; set at commit
        fileSize: object.size,
        sourcePath: file.relativePath,
      };
      this.stagedUids.add(uid);
      this.batch.bytes += object.size;
      if (unfiled !== null) {
        this.batch.unfiled.push({
          object,
          unfiled: { instance, reason: unfiled },
          outcome: this.record({ ...base, outcome: 'unfiled', reason: unfiled }),
        });
        return;
      }
      this.batch.instances.push({ object, instance, outcome: this.record({ ...base, outcome: 'imported', reason: notShown }) });
      this.instancesImported += 1;
      return;
    }

    const key = knownHash ?? this.hash(source);
    if (key === existing.storeKey) {
      const stillUnfiled = existing.id === null ? 'already in the library, unfiled: it waits to be filed into a study' : null;
      this.record({ ...base, outcome: 'already-present', reason: stillUnfiled ?? notShown });
      return;
    }
    const comparison = await compareDatasets(this.store.objectPath(existing.storeKey), file.absolutePath);
    if (comparison.equivalent) {
      this.record({
        ...base,
        outcome: 'already-present',
        reason: comparison.pixelsCompared
          ? 'same dataset as the library copy; only the file meta information or transfer syntax differs'
          : 'same dataset as the library copy; only the file meta information or transfer syntax differs (compressed pixel data not compared sample by sample)',
      });
      return;
    }
    const object = await this.stage(file, source, knownHash, readAhead);
    const differences = `differs from the library copy in ${comparison.differences.join(', ')}`;
    this.batch.conflicts.push({
      object,
      conflict: {
        sopInstanceUid: uid,
        kind: 'same-sop-instance-uid',
        existingInstanceId: existing.id,
        storeKey: '', // set at commit
        fileSize: object.size,
        sourcePath: file.relativePath,
        differences,
      },
      outcome: this.record({ ...base, outcome: 'conflict', reason: `kept aside, not merged: ${differences}` }),
    });
    this.batch.bytes += object.size;
  }

  /**
   * An instance that states an identifying attribute twice with different values: which patient,
   * study or instance it is cannot be told, so it is stored as received and kept aside with the
   * reason, never filed under either value and never taken for a copy of a library instance.
   */
  private async keepAmbiguousAside(
    file: DiscoveredFile,
    source: FileSource,
    knownHash: string | null,
    readAhead: ReadAhead | null,
    base: Omit<FileOutcomeRecord, 'outcome' | 'reason'>,
    ambiguity: string,
  ): Promise<void> {
    const object = await this.stage(file, source, knownHash, readAhead);
    const differences = `identity is ambiguous: ${ambiguity}`;
    this.batch.conflicts.push({
      object,
      conflict: {
        sopInstanceUid: base.sopInstanceUid ?? '',
        kind: 'ambiguous-identity',
        existingInstanceId: null,
        storeKey: '', // set at commit
        fileSize: object.size,
        sourcePath: file.relativePath,
        differences,
      },
      outcome: this.record({ ...base, outcome: 'conflict', reason: `kept aside, not filed: ${differences}` }),
    });
    this.batch.bytes += object.size;
  }

  /**
   * Starts making the current batch durable and queues its commit, which runs in the background as
   * soon as its fsyncs are done and the batch before it is committed: the renames, the directory
   * fsyncs and the index transaction do not hold up the files behind them, and its studies reach the
   * library while the next batch is read, not a batch later. At most one commit runs at a time, in
   * batch order; before the next batch fills, the commit two batches back must be done, so at most
   * one batch fills, one waits for its fsyncs and one commits. A failure surfaces here or in `drain`.
   */
  private async rotate(): Promise<void> {
    const batch = this.batch;
    this.batch = newBatch();
    const sealed = sealAll(batchObjects(batch));
    const before = this.committing;
    const commit = sealed.then((failures) => before.then(() => this.commit(batch, failures)));
    commit.catch(() => {
      this.commitFailed = true; // thrown by the next rotate or drain; the loop stops at once
    });
    this.committing = commit;
    const waitFor = this.previousCommit;
    this.previousCommit = before;
    await waitFor;
  }

  /** Makes everything copied so far durable and committed. */
  private async drain(): Promise<void> {
    await this.rotate();
    await this.committing;
  }

  /** A copy that failed turns its file's outcome into a problem; the rest of the batch goes on. */
  private async dropFailedCopies(batch: Batch, failures: SealFailure[]): Promise<void> {
    const failed = new Map(failures.map((f) => [f.object, f.error]));
    const mark = (staged: { object: PendingObject; outcome: FileOutcomeRecord }): boolean => {
      const error = failed.get(staged.object);
      if (!error) {
        return true;
      }
      staged.outcome.outcome = 'unreadable';
      staged.outcome.reason = `copy into the store failed: ${error.message}`;
      return false;
    };
    for (const staged of batch.instances.filter((s) => !mark(s))) {
      this.stagedUids.delete(staged.instance.attributes.sopInstanceUid);
      this.instancesImported -= 1;
    }
    for (const staged of batch.unfiled.filter((s) => !mark(s))) {
      this.stagedUids.delete(staged.unfiled.instance.attributes.sopInstanceUid);
    }
    batch.instances = batch.instances.filter((s) => failed.get(s.object) === undefined);
    batch.unfiled = batch.unfiled.filter((s) => failed.get(s.object) === undefined);
    batch.conflicts = batch.conflicts.filter(mark);
    batch.bytes -= failures.reduce((sum, f) => sum + f.object.size, 0);
    // Best effort: a copy that cannot even be removed stays in the temporary folder, which the next
    // import's recovery clears.
    await Promise.all(failures.map((f) => f.object.discard().catch(() => undefined)));
  }

  /** Publishes a sealed batch into the store, then commits its index rows and outcomes in one transaction. */
  private async commit(batch: Batch, failures: SealFailure[]): Promise<void> {
    try {
      await this.commitBatch(batch, failures);
    } catch (error) {
      // Whatever stops a commit stops the import: no file after it may be reported as done.
      throw error instanceof CommitError ? error : new CommitError(error);
    }
  }

  private async commitBatch(batch: Batch, failures: SealFailure[]): Promise<void> {
    this.crashPoint('after-fsync');
    // A copy that failed for want of space is no problem of its file: the import stops.
    const noSpace = failures.find((failure) => isDiskFull(failure.error));
    if (noSpace) {
      throw new CommitError(noSpace.error);
    }
    if (failures.length > 0) {
      await this.dropFailedCopies(batch, failures);
    }
    for (const staged of batch.instances) {
      staged.instance.storeKey = staged.object.key as string;
    }
    for (const staged of batch.conflicts) {
      staged.conflict.storeKey = staged.object.key as string;
    }
    for (const staged of batch.unfiled) {
      staged.unfiled.instance.storeKey = staged.object.key as string;
    }
    const objects = batchObjects(batch);
    const keys = objects.map((object) => object.key as string);
    try {
      if (keys.length > 0) {
        this.writer.journal(keys, this.sessionId);
      }
      await this.store.publish(objects);
    } catch (error) {
      // The store or its journal cannot be written (disk full, I/O error): stop, as a failed index
      // commit does, rather than charge the failure to whichever file happened to be in hand.
      throw new CommitError(error);
    }
    this.crashPoint('after-publish');
    const now = new Date().toISOString();
    const touchedStudies = new Set<number>();
    let indexed = 0;
    const commitRows = this.db.transaction(() => {
      for (const staged of batch.instances) {
        const placement = this.writer.addInstance(staged.instance, this.sessionId, now);
        if ('studyId' in placement) {
          touchedStudies.add(placement.studyId);
          indexed += 1;
          continue;
        }
        // Its study or series belongs to someone else: keep the file aside, never file it there.
        this.writer.addConflict(
          {
            sopInstanceUid: staged.instance.attributes.sopInstanceUid,
            kind: placement.conflict,
            existingInstanceId: null,
            storeKey: staged.instance.storeKey,
            fileSize: staged.instance.fileSize,
            sourcePath: staged.instance.sourcePath,
            differences: placement.reason,
          },
          this.sessionId,
          now,
        );
        staged.outcome.outcome = 'conflict';
        staged.outcome.reason = `kept aside, not indexed: ${placement.reason}`;
      }
      for (const staged of batch.conflicts) {
        this.writer.addConflict(staged.conflict, this.sessionId, now);
      }
      for (const staged of batch.unfiled) {
        this.writer.addUnfiled(staged.unfiled, this.sessionId, now);
      }
      for (const outcome of batch.outcomes) {
        this.writer.addOutcome(this.sessionId, outcome);
      }
      for (const studyId of touchedStudies) {
        this.writer.refreshSearch(studyId);
      }
      for (const key of keys) {
        this.writer.clearJournal(key);
      }
      this.writer.recordSessionProgress(this.sessionId, this.filesFound, batch.bytes);
    });
    try {
      commitRows();
    } catch (error) {
      // The transaction rolled back: nothing it cached stands, and the import cannot go on.
      this.writer.resetCaches();
      throw new CommitError(error);
    }
    this.crashPoint('after-commit');
    this.instancesIndexed += indexed;
    this.instancesImported -= batch.instances.length - indexed;
    for (const staged of [...batch.instances.map((s) => s.instance), ...batch.unfiled.map((s) => s.unfiled.instance)]) {
      this.stagedUids.delete(staged.attributes.sopInstanceUid);
    }
    this.progress(true);
  }
}
