import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiDispatcher } from '../../electron/host/api-dispatcher.ts';
import { createImportQueue } from '../../electron/main/import-queue.ts';
import { createWorkstation } from '../../electron/services/workstation/workstation.ts';
import type { Job } from '../../shared/api/schemas.ts';
import { corpus, haveCorpus, repoRoot } from '../support/environment.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';

afterAll(cleanupTempDirs);

/** A folder holding one image of the corpus patient CD. */
function oneImageFolder(name: string, image: string): string {
  const folder = join(tempDir(), name);
  mkdirSync(folder);
  cpSync(corpus('03-breast-patient-cd-mr-us-mimbcd', 'IMAGES', image), join(folder, image));
  return folder;
}

describe.runIf(haveCorpus())('the desktop app’s import queue, on the real workstation and import worker', () => {
  it('runs imports one after another (also after one the page started), skips a refused one, ejects only what was asked', async () => {
    const workstation = createWorkstation(tempDir(), pathToFileURL(join(repoRoot, 'dist', 'node', 'concord.mjs')));
    const dispatch = createApiDispatcher(workstation);
    const ejected: string[] = [];
    const logged: string[] = [];
    const queue = createImportQueue({
      dispatch,
      // Ejecting needs a real drive; what matters here is which medium is ejected, and when.
      eject: async (path) => {
        ejected.push(path);
        return true;
      },
      log: (level, message) => logged.push(`${level} ${message}`),
    });
    const ended: Job[] = [];
    // What had been ejected when each import ended (before the queue heard of it).
    const ejectedAtEnd: string[][] = [];
    const allEnded = new Promise<void>((resolvePromise) => {
      workstation.subscribe((event) => {
        if (event.type !== 'job') {
          return;
        }
        if (event.job.status !== 'running') {
          ended.push(event.job);
          ejectedAtEnd.push([...ejected]);
        }
        queue.onJob(event.job);
        if (ended.length === 3) {
          resolvePromise();
        }
      });
    });
    const byPage = oneImageFolder('by-page', 'IM0');
    const cd = oneImageFolder('CD', 'IM1');
    const stick = oneImageFolder('USB', 'IM2');
    try {
      // The page starts an import; the queue's first one must wait for it, not fail.
      await dispatch('startImport', { path: byPage });
      queue.add(cd, { ejectAfter: true });
      queue.add(join(tempDir(), 'no-such-folder'));
      queue.add(stick);
      await allEnded;
      expect(ended.map((job) => [job.source, job.status])).toEqual([
        [byPage, 'completed'],
        [cd, 'completed'],
        [stick, 'completed'],
      ]);
      expect(ejected).toEqual([cd]);
      // The CD is ejected once its own import has ended, not before.
      expect(ejectedAtEnd).toEqual([[], [], [cd]]);
      expect(logged.filter((line) => line.startsWith('warn'))).toEqual([expect.stringMatching(/^warn import of .*no-such-folder refused: /)]);
      expect((await workstation.listStudies({})).studies.map((study) => study.instanceCount)).toEqual([3]);
    } finally {
      await workstation.close();
    }
  });
});
