import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { ImportProgress, ImportSummary } from '../../../shared/import/outcomes.ts';
import type { ImportSourceErrorCode } from '../../../shared/api/errors.ts';
import { runImport } from './importer.ts';
import { ImportSourceError } from './source-check.ts';
import { IMPORT_THREAD_LIMITS } from './thread-limits.ts';

/** What crosses into the import worker: plain data only. */
export interface ImportJobInput {
  libraryRoot: string;
  source: string;
  crashAt?: string;
  batchFiles?: number;
  /** Reader threads; 0 reads on the importer's thread (see reader-pool.ts). */
  readers?: number;
}

type WorkerMessage =
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'done'; summary: ImportSummary }
  | { type: 'error'; message: string; name: string; code?: string; source?: { code: ImportSourceErrorCode; path: string } };

const WORKER_KIND = 'concord-import';

export interface ImportJob {
  result: Promise<ImportSummary>;
  /** Asks the import to stop after the current file; what it has done is committed. */
  cancel(): void;
}

export class ImportJobError extends Error {
  constructor(
    message: string,
    readonly kind: string,
    /** The failure's code where it had one (ENOSPC, SQLITE_FULL…). */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ImportJobError';
  }
}

/**
 * Runs an import in a worker thread so the caller's event loop (a UI, a server) stays responsive.
 * `entry` is the built module that calls `serveImportWorker` when loaded in a worker.
 */
export function startImportJob(entry: URL, input: ImportJobInput, onProgress: (p: ImportProgress) => void): ImportJob {
  const cancelFlag = new Int32Array(new SharedArrayBuffer(4));
  // The importer closes copies its reader threads opened; Node's per-thread descriptor tracking
  // would take those for foreign descriptors.
  const worker = new Worker(entry, {
    workerData: { kind: WORKER_KIND, input, cancelFlag },
    trackUnmanagedFds: false,
    resourceLimits: IMPORT_THREAD_LIMITS,
  });
  const result = new Promise<ImportSummary>((resolvePromise, rejectPromise) => {
    let settled = false;
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') {
        onProgress(message.progress);
      } else if (message.type === 'done') {
        settled = true;
        resolvePromise(message.summary);
      } else {
        settled = true;
        // A source problem stays typed across the thread, so callers can tell the user exactly that.
        rejectPromise(
          message.source
            ? new ImportSourceError(message.source.code, message.source.path, message.message)
            : new ImportJobError(message.message, message.name, message.code),
        );
      }
    });
    worker.on('error', (error) => {
      settled = true;
      rejectPromise(error);
    });
    worker.on('exit', (code) => {
      if (!settled) {
        rejectPromise(new ImportJobError(`import worker ended unexpectedly (exit ${code})`, 'WorkerExit'));
      }
    });
  });
  return {
    result,
    cancel: () => {
      Atomics.store(cancelFlag, 0, 1);
    },
  };
}

/** Call at module load: when this module runs as an import worker, it does the import and reports. */
export function serveImportWorker(): boolean {
  if (isMainThread || !parentPort || (workerData as { kind?: string } | null)?.kind !== WORKER_KIND) {
    return false;
  }
  const port = parentPort;
  const { input, cancelFlag } = workerData as { input: ImportJobInput; cancelFlag: Int32Array };
  runImport({
    ...input,
    isCancelled: () => Atomics.load(cancelFlag, 0) === 1,
    onProgress: (progress) => port.postMessage({ type: 'progress', progress } satisfies WorkerMessage),
  }).then(
    (summary) => port.postMessage({ type: 'done', summary } satisfies WorkerMessage),
    (error: unknown) => {
      const e = error as Error;
      const source = e instanceof ImportSourceError ? { code: e.code, path: e.path } : undefined;
      const { code } = e as { code?: unknown };
      port.postMessage({ type: 'error', message: e.message, name: e.name, code: typeof code === 'string' ? code : undefined, source } satisfies WorkerMessage);
    },
  );
  return true;
}
