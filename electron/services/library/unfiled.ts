import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Database } from 'better-sqlite3';
import type { ObjectKind } from '../../../shared/dicom/sop-classes.ts';
import type { InstanceAttributes } from '../import/attributes.ts';
import { IndexWriter } from './index-writer.ts';

/** One instance stored but in no study, as `concord unfiled` and the "needs attention" list show it. */
export interface UnfiledInstance {
  sopInstanceUid: string;
  reason: string;
  patientId: string;
  patientName: string;
  patientBirthDate: string;
  patientSex: string;
  /** As received; null when the file has none. */
  studyInstanceUid: string | null;
  seriesInstanceUid: string | null;
  modality: string;
  sopClassUid: string;
  objectKind: string;
  importSessionId: number | null;
  /** The file's path on the media it was imported from. */
  source: string;
  importedAt: string;
}

export function listUnfiled(db: Database): UnfiledInstance[] {
  return db
    .prepare(`SELECT sop_instance_uid AS sopInstanceUid, reason, patient_id AS patientId, patient_name AS patientName,
        birth_date AS patientBirthDate, sex AS patientSex, study_instance_uid AS studyInstanceUid,
        series_instance_uid AS seriesInstanceUid, modality, sop_class_uid AS sopClassUid, object_kind AS objectKind,
        import_session_id AS importSessionId, source_path AS source, imported_at AS importedAt
      FROM unfiled_instances ORDER BY imported_at, source_path`)
    .all() as UnfiledInstance[];
}

/** A study an unfiled instance can be filed into without overriding its patient identity. */
export interface FilingCandidate {
  studyInstanceUid: string;
  studyDate: string;
  studyDescription: string;
  modalities: string[];
}

/**
 * The studies whose patient identity (ID, issuer, name, birth date, sex) is the instance's own, less
 * those its own UIDs rule out: what a person may pick from without overriding anything.
 */
export function filingCandidates(db: Database, sopInstanceUid: string): FilingCandidate[] {
  const rows = db
    .prepare(`SELECT st.study_instance_uid AS studyInstanceUid, st.study_date AS studyDate,
        st.study_description AS studyDescription,
        (SELECT group_concat(DISTINCT se.modality) FROM series se WHERE se.study_ref = st.id) AS modalities
      FROM unfiled_instances u
      JOIN patients p ON p.patient_id = u.patient_id AND p.issuer_of_patient_id = u.issuer_of_patient_id
        AND p.patient_name = u.patient_name AND p.birth_date = u.birth_date AND p.sex = u.sex
      JOIN studies st ON st.patient_ref = p.id
      WHERE u.sop_instance_uid = ?
        AND (u.study_instance_uid IS NULL OR u.study_instance_uid = st.study_instance_uid)
        -- A series the file names that is already in another study rules that study out.
        AND NOT EXISTS (SELECT 1 FROM series se WHERE se.series_instance_uid = u.series_instance_uid AND se.study_ref != st.id)
      ORDER BY st.study_date DESC`)
    .all(sopInstanceUid) as (Omit<FilingCandidate, 'modalities'> & { modalities: string | null })[];
  return rows.map((r) => ({ ...r, modalities: (r.modalities ?? '').split(',').filter(Boolean) }));
}

export type FilingTarget = { study: string } | { newStudy: true };

export interface FilingRequest {
  sopInstanceUid: string;
  target: FilingTarget;
  /** A person confirmed filing it into a study whose patient identity differs from the instance's. */
  otherPatientConfirmed?: boolean;
  /** Who files it, and through what: recorded with the filing. */
  filedBy?: string;
  filedVia: 'command line' | 'app';
}

export interface FilingResult {
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  studyCreated: boolean;
  studyUidGenerated: boolean;
  seriesCreated: boolean;
  seriesUidGenerated: boolean;
  otherPatientConfirmed: boolean;
  filedBy: string;
  filedAt: string;
}

export type FilingErrorCode = 'unknown-instance' | 'not-unfiled' | 'unknown-study' | 'other-patient' | 'contradicts-file';

/** Why an instance was not filed; nothing was written. */
export class FilingError extends Error {
  constructor(
    readonly code: FilingErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FilingError';
  }
}

/** A new UID under the 2.25 root: the decimal value of a random UUID (PS3.5 B.2). */
export function uuidDerivedUid(): string {
  return `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString(10)}`;
}

export function currentUser(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

interface UnfiledRow {
  id: number;
  sopInstanceUid: string;
  reason: string;
  studyUid: string | null;
  seriesUid: string | null;
  objectKind: ObjectKind;
  displayable: number;
  transferSyntaxUid: string;
  originalAttributes: string;
  storeKey: string;
  fileSize: number;
  sessionId: number | null;
  sourcePath: string;
  importedAt: string;
}

function describeIdentity(id: string, name: string): string {
  return `ID ${JSON.stringify(id)}, name ${JSON.stringify(name)}`;
}

/**
 * Files an unfiled instance into an existing study or a new one, in one transaction. The stored file is
 * never rewritten: the instance gets its index rows under the chosen study (and its own series, or a new
 * one when it has none), and the filing is recorded with who and when. A UID the file carries is never
 * contradicted, and a study of another patient identity is refused unless a person confirmed it.
 */
export function fileInstance(db: Database, request: FilingRequest): FilingResult {
  const uid = request.sopInstanceUid;
  const filedBy = request.filedBy ?? currentUser();
  return db.transaction((): FilingResult => {
    const row = db
      .prepare(`SELECT id, sop_instance_uid AS sopInstanceUid, reason, study_instance_uid AS studyUid,
          series_instance_uid AS seriesUid, object_kind AS objectKind, displayable, transfer_syntax_uid AS transferSyntaxUid,
          original_attributes AS originalAttributes, store_key AS storeKey, file_size AS fileSize,
          import_session_id AS sessionId, source_path AS sourcePath, imported_at AS importedAt
        FROM unfiled_instances WHERE sop_instance_uid = ?`)
      .get(uid) as UnfiledRow | undefined;
    if (!row) {
      const filed = db.prepare('SELECT 1 FROM instances WHERE sop_instance_uid = ?').get(uid);
      throw filed
        ? new FilingError('not-unfiled', `Instance ${uid} is not unfiled: it is already in a study`)
        : new FilingError('unknown-instance', `No instance ${uid} in the library`);
    }
    const received = JSON.parse(row.originalAttributes) as InstanceAttributes;
    const study = resolveStudy(db, row, received, request);
    const series = resolveSeries(db, row, study.uid);
    const attributes: InstanceAttributes = { ...received, studyInstanceUid: study.uid, seriesInstanceUid: series.uid };
    const now = new Date().toISOString();
    const writer = new IndexWriter(db);
    db.prepare('DELETE FROM unfiled_instances WHERE id = ?').run(row.id);
    const placement = writer.addInstance(
      {
        attributes,
        objectKind: row.objectKind,
        displayable: row.displayable === 1,
        transferSyntaxUid: row.transferSyntaxUid,
        originalAttributes: row.originalAttributes, // as received: the filed UIDs live in the study and series rows
        storeKey: row.storeKey,
        fileSize: row.fileSize,
        sourcePath: row.sourcePath,
      },
      row.sessionId,
      row.importedAt, // the instance's own import time; a study created here is dated below
      { otherPatientConfirmed: study.otherPatient },
    );
    if (!('studyId' in placement)) {
      throw new FilingError(placement.conflict === 'study-of-other-patient' ? 'other-patient' : 'contradicts-file', placement.reason);
    }
    if (study.created) {
      db.prepare('UPDATE studies SET created_at = ? WHERE id = ?').run(now, placement.studyId);
    }
    writer.refreshSearch(placement.studyId);
    const instanceRef = (db.prepare('SELECT id FROM instances WHERE sop_instance_uid = ?').get(uid) as { id: number }).id;
    db.prepare(`INSERT INTO instance_filings (instance_ref, sop_instance_uid, unfiled_reason, received_study_instance_uid,
        received_series_instance_uid, study_instance_uid, series_instance_uid, study_created, study_uid_generated,
        series_created, series_uid_generated, other_patient_confirmed, filed_by, filed_via, filed_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        instanceRef, uid, row.reason, row.studyUid, row.seriesUid, study.uid, series.uid, study.created ? 1 : 0,
        study.generated ? 1 : 0, series.created ? 1 : 0, series.generated ? 1 : 0, study.otherPatient ? 1 : 0,
        filedBy, request.filedVia, now,
      );
    return {
      sopInstanceUid: uid,
      studyInstanceUid: study.uid,
      seriesInstanceUid: series.uid,
      studyCreated: study.created,
      studyUidGenerated: study.generated,
      seriesCreated: series.created,
      seriesUidGenerated: series.generated,
      otherPatientConfirmed: study.otherPatient,
      filedBy,
      filedAt: now,
    };
  }).immediate();
}

interface ResolvedStudy {
  uid: string;
  created: boolean;
  generated: boolean;
  otherPatient: boolean;
}

function resolveStudy(db: Database, row: UnfiledRow, a: InstanceAttributes, request: FilingRequest): ResolvedStudy {
  const owner = (studyUid: string) =>
    db
      .prepare(`SELECT p.patient_id AS patientId, p.issuer_of_patient_id AS issuer, p.patient_name AS patientName,
          p.birth_date AS birthDate, p.sex AS sex
        FROM studies st JOIN patients p ON p.id = st.patient_ref WHERE st.study_instance_uid = ?`)
      .get(studyUid) as { patientId: string; issuer: string; patientName: string; birthDate: string; sex: string } | undefined;

  if ('newStudy' in request.target) {
    if (row.studyUid !== null) {
      // The file names its study: a new study takes that UID, never an invented one.
      if (owner(row.studyUid)) {
        throw new FilingError(
          'contradicts-file',
          `Instance ${row.sopInstanceUid} names its study (${row.studyUid}), which is in the library: file it there with --study ${row.studyUid}`,
        );
      }
      return { uid: row.studyUid, created: true, generated: false, otherPatient: false };
    }
    if (row.seriesUid !== null) {
      const home = db
        .prepare('SELECT st.study_instance_uid AS uid FROM series se JOIN studies st ON st.id = se.study_ref WHERE se.series_instance_uid = ?')
        .get(row.seriesUid) as { uid: string } | undefined;
      if (home) {
        throw new FilingError(
          'contradicts-file',
          `Instance ${row.sopInstanceUid} belongs to series ${row.seriesUid}, which is in study ${home.uid}: file it there with --study ${home.uid}`,
        );
      }
    }
    return { uid: uuidDerivedUid(), created: true, generated: true, otherPatient: false };
  }

  const target = request.target.study;
  if (row.studyUid !== null && row.studyUid !== target) {
    throw new FilingError(
      'contradicts-file',
      `Instance ${row.sopInstanceUid} names study ${row.studyUid} in its header; it cannot be filed into ${target}`,
    );
  }
  const studyOwner = owner(target);
  if (!studyOwner) {
    if (row.studyUid === target) {
      // Its own study, not yet in the library: created from the instance's own attributes.
      return { uid: target, created: true, generated: false, otherPatient: false };
    }
    throw new FilingError('unknown-study', `No study ${target} in the library`);
  }
  const same =
    studyOwner.patientId === a.patientId && studyOwner.issuer === a.issuerOfPatientId && studyOwner.patientName === a.patientName &&
    studyOwner.birthDate === a.patientBirthDate && studyOwner.sex === a.patientSex;
  if (!same && !request.otherPatientConfirmed) {
    throw new FilingError(
      'other-patient',
      `Study ${target} belongs to another patient identity (${describeIdentity(studyOwner.patientId, studyOwner.patientName)}; ` +
        `the instance says ${describeIdentity(a.patientId, a.patientName)}). Not filed; confirm it explicitly to file it there anyway.`,
    );
  }
  return { uid: target, created: false, generated: false, otherPatient: !same };
}

function resolveSeries(db: Database, row: UnfiledRow, studyUid: string): { uid: string; created: boolean; generated: boolean } {
  if (row.seriesUid === null) {
    return { uid: uuidDerivedUid(), created: true, generated: true };
  }
  const home = db
    .prepare('SELECT st.study_instance_uid AS uid FROM series se JOIN studies st ON st.id = se.study_ref WHERE se.series_instance_uid = ?')
    .get(row.seriesUid) as { uid: string } | undefined;
  if (home && home.uid !== studyUid) {
    throw new FilingError(
      'contradicts-file',
      `Instance ${row.sopInstanceUid} belongs to series ${row.seriesUid}, which is in study ${home.uid}, not ${studyUid}`,
    );
  }
  return { uid: row.seriesUid, created: !home, generated: false };
}

/**
 * For an instance filed by a person: the UIDs its file lacks, as filed (a UID the file carries is null
 * here). Null when the instance was never unfiled.
 */
export function filedUids(db: Database, sopInstanceUid: string): { studyInstanceUid: string | null; seriesInstanceUid: string | null } | null {
  const row = db
    .prepare(`SELECT CASE WHEN received_study_instance_uid IS NULL THEN study_instance_uid END AS studyInstanceUid,
        CASE WHEN received_series_instance_uid IS NULL THEN series_instance_uid END AS seriesInstanceUid
      FROM instance_filings WHERE sop_instance_uid = ?`)
    .get(sopInstanceUid) as { studyInstanceUid: string | null; seriesInstanceUid: string | null } | undefined;
  return row ?? null;
}
