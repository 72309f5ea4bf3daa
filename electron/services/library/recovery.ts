import type { Database } from 'better-sqlite3';
import type { ObjectStore } from '../store/object-store.ts';

export interface RecoveryReport {
  temporariesRemoved: number;
  orphansRemoved: number;
  sessionsMarkedInterrupted: number;
}

/**
 * Puts the library back in order after an import that did not end (crash, kill, media removed):
 * removes partial copies and store objects whose index rows never committed, and marks the
 * sessions that were running as interrupted. Runs under the import lock.
 */
export function recoverLibrary(db: Database, store: ObjectStore): RecoveryReport {
  const temporariesRemoved = store.clearTemporaries();
  const journal = db.prepare('SELECT store_key AS key FROM store_journal').all() as { key: string }[];
  const referenced = db.prepare(`SELECT EXISTS (SELECT 1 FROM instances WHERE store_key = @key)
      OR EXISTS (SELECT 1 FROM instance_conflicts WHERE store_key = @key)
      OR EXISTS (SELECT 1 FROM unfiled_instances WHERE store_key = @key) AS used`);
  let orphansRemoved = 0;
  for (const { key } of journal) {
    const { used } = referenced.get({ key }) as { used: number };
    if (!used) {
      store.remove(key);
      orphansRemoved += 1;
    }
  }
  const clear = db.prepare('DELETE FROM store_journal WHERE store_key = ?');
  db.transaction(() => {
    for (const { key } of journal) {
      clear.run(key);
    }
  })();
  const marked = db
    .prepare(`UPDATE import_sessions SET status = 'interrupted', finished_at = coalesce(finished_at, ?),
      status_reason = 'the import stopped before it finished (the process ended); run it again to complete it'
      WHERE status = 'running'`)
    .run(new Date().toISOString());
  return { temporariesRemoved, orphansRemoved, sessionsMarkedInterrupted: marked.changes };
}
