import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { LibraryError } from './database.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One import at a time per library: the importer is the database's single writer. A lock left by a
 * process that died (crash, kill, power loss) is taken over.
 */
export function acquireImportLock(lockPath: string): () => void {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (!released) {
          released = true;
          try {
            unlinkSync(lockPath);
          } catch {
            // Already gone.
          }
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
      const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new LibraryError(`Another import is running in this library (process ${pid}). Wait for it to finish.`);
      }
      unlinkSync(lockPath);
    }
  }
  throw new LibraryError('Could not take the import lock of this library.');
}
