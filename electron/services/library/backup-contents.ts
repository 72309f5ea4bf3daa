import type { Database } from 'better-sqlite3';

/** What a library holds, as a backup or a restore reports it. */
export interface LibraryContents {
  studies: number;
  instances: number;
  signedReports: number;
  /** The latest signature (of a report or an addendum), ISO 8601; null when nothing is signed. */
  newestSignature: string | null;
}

/** One signature: a report's own or an addendum's, named as a person would recognise it. */
export interface SignatureRecord {
  studyInstanceUid: string;
  kind: 'report' | 'addendum';
  signedBy: string;
  signedAt: string;
}

function hasReports(db: Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'report_signatures'").get() !== undefined;
}

function count(db: Database, sql: string): number {
  return (db.prepare(sql).get() as { n: number }).n;
}

export function libraryContents(db: Database): LibraryContents {
  return {
    studies: count(db, 'SELECT count(*) AS n FROM studies'),
    instances: count(db, 'SELECT count(*) AS n FROM instances'),
    signedReports: hasReports(db) ? count(db, "SELECT count(*) AS n FROM reports WHERE status <> 'draft'") : 0,
    newestSignature: hasReports(db) ? (db.prepare('SELECT max(signed_at) AS at FROM report_signatures').get() as { at: string | null }).at : null,
  };
}

export function signatures(db: Database): SignatureRecord[] {
  if (!hasReports(db)) {
    return [];
  }
  return (db
    .prepare(`SELECT r.study_instance_uid AS studyInstanceUid, s.addendum_ref IS NOT NULL AS addendum, s.name AS signedBy, s.signed_at AS signedAt
      FROM report_signatures s JOIN reports r ON r.id = s.report_ref ORDER BY s.signed_at, s.id`)
    .all() as { studyInstanceUid: string; addendum: number; signedBy: string; signedAt: string }[])
    .map((row) => ({ studyInstanceUid: row.studyInstanceUid, kind: row.addendum ? 'addendum' : 'report', signedBy: row.signedBy, signedAt: row.signedAt }));
}

/** The signatures `library` holds that `backup` does not: what restoring the backup over it would lose. */
export function signaturesLost(library: readonly SignatureRecord[], backup: readonly SignatureRecord[]): SignatureRecord[] {
  const key = (s: SignatureRecord): string => `${s.studyInstanceUid}\u0000${s.kind}\u0000${s.signedAt}\u0000${s.signedBy}`;
  const held = new Set(backup.map(key));
  return library.filter((s) => !held.has(key(s)));
}
