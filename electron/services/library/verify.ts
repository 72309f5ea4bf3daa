import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { openDatabase, schemaVersion } from './database.ts';
import { libraryPaths } from './paths.ts';
import { HASH_ALGORITHM } from '../store/hash.ts';
import { ObjectStore } from '../store/object-store.ts';

export interface VerifyProblem {
  kind: 'missing' | 'corrupted';
  table: 'instances' | 'instance_conflicts' | 'unfiled_instances';
  sopInstanceUid: string;
  storeKey: string;
  detail: string;
}

export interface VerifyReport {
  library: string;
  ok: boolean;
  schemaVersion: number;
  integrityCheck: string;
  foreignKeyViolations: number;
  instancesChecked: number;
  conflictsChecked: number;
  /** Instances stored but not yet filed into a study (see `concord unfiled`). */
  unfiledChecked: number;
  problems: VerifyProblem[];
  /** Store objects no index row references. */
  orphans: string[];
  /** Partial copies in the store's temporary folder. */
  temporaries: string[];
  /** Store objects whose index rows were never committed (an import did not finish). */
  journalEntries: number;
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash(HASH_ALGORITHM);
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

/** Checks that every indexed instance is in the store with its recorded hash, and that nothing else is. */
export async function verifyLibrary(root: string): Promise<VerifyReport> {
  const paths = libraryPaths(root);
  if (!existsSync(paths.database)) {
    throw new Error(`No library at ${root} (no ${paths.database}).`);
  }
  const db = openDatabase(paths.database, { readonly: true });
  try {
    const store = new ObjectStore(paths.store);
    const integrityCheck = (db.pragma('integrity_check', { simple: true }) as string) ?? 'unknown';
    const foreignKeyViolations = (db.pragma('foreign_key_check') as unknown[]).length;
    const rows = [
      ...(db.prepare('SELECT sop_instance_uid AS uid, store_key AS key FROM instances').all() as { uid: string; key: string }[]).map(
        (r) => ({ ...r, table: 'instances' as const }),
      ),
      ...(db.prepare('SELECT sop_instance_uid AS uid, store_key AS key FROM instance_conflicts').all() as { uid: string; key: string }[]).map(
        (r) => ({ ...r, table: 'instance_conflicts' as const }),
      ),
      ...(db.prepare('SELECT sop_instance_uid AS uid, store_key AS key FROM unfiled_instances').all() as { uid: string; key: string }[]).map(
        (r) => ({ ...r, table: 'unfiled_instances' as const }),
      ),
    ];
    const problems: VerifyProblem[] = [];
    const referenced = new Set<string>();
    for (const row of rows) {
      referenced.add(row.key);
      const path = store.objectPath(row.key);
      if (!existsSync(path)) {
        problems.push({ kind: 'missing', table: row.table, sopInstanceUid: row.uid, storeKey: row.key, detail: 'file not in the store' });
        continue;
      }
      const actual = await hashFile(path);
      if (actual !== row.key) {
        problems.push({
          kind: 'corrupted', table: row.table, sopInstanceUid: row.uid, storeKey: row.key,
          detail: `content hash is ${actual}`,
        });
      }
    }
    const orphans = [...store.keys()].filter((key) => !referenced.has(key));
    const temporaries = store.temporaries();
    const journalEntries = (db.prepare('SELECT count(*) AS n FROM store_journal').get() as { n: number }).n;
    return {
      library: root,
      ok:
        integrityCheck === 'ok' && foreignKeyViolations === 0 && problems.length === 0 && orphans.length === 0 &&
        temporaries.length === 0 && journalEntries === 0,
      schemaVersion: schemaVersion(db),
      integrityCheck,
      foreignKeyViolations,
      instancesChecked: rows.filter((r) => r.table === 'instances').length,
      conflictsChecked: rows.filter((r) => r.table === 'instance_conflicts').length,
      unfiledChecked: rows.filter((r) => r.table === 'unfiled_instances').length,
      problems,
      orphans,
      temporaries,
      journalEntries,
    };
  } finally {
    db.close();
  }
}
