import type { Database } from 'better-sqlite3';
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
 * One import at a time per library: the importer is the database's single writer. The lock is a row
 * claimed in an immediate transaction, so checking for a dead holder and taking over is one atomic
 * step; a lock left by a process that died (crash, kill, power loss) is taken over.
 */
export function acquireImportLock(db: Database): () => void {
  db.transaction(() => {
    const holder = db.prepare('SELECT pid FROM import_lock WHERE id = 1').get() as { pid: number } | undefined;
    if (holder && alive(holder.pid)) {
      throw new LibraryError(`Another import is running in this library (process ${holder.pid}). Wait for it to finish.`);
    }
    db.prepare('INSERT OR REPLACE INTO import_lock (id, pid, acquired_at) VALUES (1, ?, ?)').run(process.pid, new Date().toISOString());
  }).immediate();
  let released = false;
  return () => {
    if (!released) {
      released = true;
      db.prepare('DELETE FROM import_lock WHERE id = 1 AND pid = ?').run(process.pid);
    }
  };
}

/** The process of the import running in this library, or null (none, or its holder died). */
export function runningImportProcess(db: Database): number | null {
  const holder = db.prepare('SELECT pid FROM import_lock WHERE id = 1').get() as { pid: number } | undefined;
  return holder && alive(holder.pid) ? holder.pid : null;
}
