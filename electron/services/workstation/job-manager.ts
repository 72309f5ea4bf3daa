import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { ApiError } from '../../../shared/api/errors.ts';
import type { Job } from '../../../shared/api/schemas.ts';
import { startImportJob } from '../import/import-worker.ts';
import type { ImportJob } from '../import/import-worker.ts';

/**
 * Long work as jobs: an id, progress events, cancel, the same on every transport. One import runs at a
 * time per library (the importer is the database's single writer).
 */
export class JobManager extends EventEmitter<{ job: [Job]; 'library-changed': [] }> {
  private readonly jobs = new Map<string, { job: Job; handle: ImportJob }>();

  constructor(
    private readonly libraryRoot: string,
    private readonly workerEntry: URL,
  ) {
    super();
  }

  private update(id: string, change: Partial<Job>): void {
    const entry = this.jobs.get(id);
    if (!entry) {
      return;
    }
    entry.job = { ...entry.job, ...change };
    this.emit('job', entry.job);
  }

  startImport(source: string): Job {
    const running = [...this.jobs.values()].find((entry) => entry.job.status === 'running');
    if (running) {
      throw new ApiError('conflict', `An import is already running (${running.job.source}); wait for it or cancel it.`);
    }
    const id = randomUUID();
    let indexed = 0;
    const handle = startImportJob(this.workerEntry, { libraryRoot: this.libraryRoot, source }, (progress) => {
      this.update(id, { progress });
      if (progress.instancesIndexed !== indexed) {
        indexed = progress.instancesIndexed;
        this.emit('library-changed');
      }
    });
    const job: Job = {
      id,
      kind: 'import',
      source,
      status: 'running',
      startedAt: new Date().toISOString(),
      finishedAt: null,
      cancelRequested: false,
      progress: null,
      summary: null,
      error: null,
    };
    this.jobs.set(id, { job, handle });
    this.emit('job', job);
    handle.result.then(
      (summary) => {
        this.update(id, {
          status: summary.status === 'running' ? 'failed' : summary.status,
          summary,
          finishedAt: summary.finishedAt,
        });
        this.emit('library-changed');
      },
      (error: unknown) => {
        this.update(id, { status: 'failed', error: (error as Error).message, finishedAt: new Date().toISOString() });
        this.emit('library-changed');
      },
    );
    return job;
  }

  get(id: string): Job {
    const entry = this.jobs.get(id);
    if (!entry) {
      throw new ApiError('not-found', `No job ${id}`);
    }
    return entry.job;
  }

  cancel(id: string): Job {
    const entry = this.jobs.get(id);
    if (!entry) {
      throw new ApiError('not-found', `No job ${id}`);
    }
    if (entry.job.status === 'running') {
      entry.handle.cancel();
      this.update(id, { cancelRequested: true });
    }
    return this.get(id);
  }

  list(): Job[] {
    return [...this.jobs.values()].map((entry) => entry.job).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /** Resolves when no job is running (for an orderly shutdown). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.jobs.values()].map((entry) => entry.handle.result));
  }

  cancelAll(): void {
    for (const entry of this.jobs.values()) {
      if (entry.job.status === 'running') {
        entry.handle.cancel();
      }
    }
  }
}
