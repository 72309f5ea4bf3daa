import type { ApiDispatcher } from '../host/api-dispatcher.ts';
import type { Job } from '../../shared/api/schemas.ts';

export interface ImportQueueOptions {
  dispatch: ApiDispatcher;
  /** Ejects a medium once its import has ended (see services/media/removable-media.ts). */
  eject(path: string): Promise<boolean>;
  log(level: 'info' | 'warn', message: string): void;
}

export interface ImportQueue {
  /** Imports `path` after what is already waiting; `ejectAfter` ejects it once its import ends. */
  add(path: string, options?: { ejectAfter?: boolean }): void;
  /** Feeds the queue the workstation's job events: an ended import lets the next one start. */
  onJob(job: Job): void;
}

/**
 * The desktop app's imports from the OS (opened files, drops, menus, inserted media) in order, one at
 * a time: the library has one writer, so a second import waits for the first instead of being refused.
 */
export function createImportQueue({ dispatch, eject, log }: ImportQueueOptions): ImportQueue {
  const waiting: Array<{ path: string; ejectAfter: boolean }> = [];
  const ejectWhenDone = new Set<string>();
  let starting = false;

  function startNext(): void {
    const next = waiting[0];
    if (next === undefined || starting) {
      return;
    }
    starting = true;
    dispatch('startImport', { path: next.path }).then(
      (started) => {
        starting = false;
        waiting.shift();
        if (next.ejectAfter) {
          ejectWhenDone.add((started as { job: Job }).job.source);
        }
      },
      (error: unknown) => {
        starting = false;
        // A conflict means another import runs (one the page started): this one starts when it ends.
        if ((error as { code?: string }).code !== 'conflict') {
          waiting.shift();
          log('warn', `import of ${next.path} refused: ${(error as Error).message}`);
          startNext();
        }
      },
    );
  }

  return {
    add(path, options = {}) {
      waiting.push({ path, ejectAfter: options.ejectAfter ?? false });
      startNext();
    },
    onJob(job) {
      if (job.status === 'running') {
        return;
      }
      if (ejectWhenDone.delete(job.source)) {
        void eject(job.source).then((ejected) => log('info', `eject ${job.source}: ${ejected ? 'done' : 'not possible here'}`));
      }
      startNext();
    },
  };
}
