// Opens a library from a worker thread once every worker is ready, so openings really race.
import { parentPort, workerData } from 'node:worker_threads';
import { openLibrary } from '../../electron/services/library/database.ts';

const { root, barrier } = workerData as { root: string; barrier: SharedArrayBuffer };
const flag = new Int32Array(barrier);
Atomics.add(flag, 1, 1);
Atomics.wait(flag, 0, 0);
try {
  openLibrary(root).close();
  parentPort?.postMessage({ ok: true });
} catch (error) {
  parentPort?.postMessage({ ok: false, message: (error as Error).message });
}
