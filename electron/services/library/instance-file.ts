import type { Database } from 'better-sqlite3';

export interface InstanceFile {
  storeKey: string;
  transferSyntaxUid: string;
  sopClassUid: string;
  objectKind: string;
}

/** Where an instance's stored file is and what class of object it holds; null when not in the library. */
export function instanceFile(db: Database, sopInstanceUid: string): InstanceFile | null {
  const row = db
    .prepare(`SELECT store_key AS storeKey, transfer_syntax_uid AS transferSyntaxUid, sop_class_uid AS sopClassUid, object_kind AS objectKind
      FROM instances WHERE sop_instance_uid = ?`)
    .get(sopInstanceUid) as InstanceFile | undefined;
  return row ?? null;
}
