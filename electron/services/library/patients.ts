import type { Database } from 'better-sqlite3';

/**
 * Local patients as the center knows them: each links one or more outside identities (the rows of
 * `patients`, exactly as received). A local patient's name, birth date and sex are those of its
 * first identity; the identities keep their own.
 */

export interface ImportRef {
  sessionId: number;
  source: string;
  startedAt: string;
}

/** An outside identity as the index holds it, with the local patient it belongs to. */
export interface IdentityRow {
  /** The identity's number in this library (the command line's and the API's handle on it). */
  id: number;
  localPatientId: number;
  patientId: string;
  issuer: string;
  name: string;
  birthDate: string;
  sex: string;
}

export interface IdentityRecord extends IdentityRow {
  /** Institution Name of its studies, where present. */
  facilities: string[];
  /** The imports that brought its studies. */
  imports: ImportRef[];
}

export interface PatientStudy {
  studyInstanceUid: string;
  studyDate: string;
  studyTime: string;
  modalities: string[];
  facility: string;
  studyDescription: string;
  /** The identity the study was received under. */
  identityId: number;
  /** The import that first brought it. */
  importedBy: ImportRef | null;
}

export interface LocalPatient {
  id: number;
  name: string;
  birthDate: string;
  sex: string;
  identities: IdentityRecord[];
  /** Across every identity and facility, oldest first: one timeline. */
  studies: PatientStudy[];
}

const SELECT_IDENTITIES = `SELECT p.id, l.local_patient_ref AS localPatientId, p.patient_id AS patientId,
    p.issuer_of_patient_id AS issuer, p.patient_name AS name, p.birth_date AS birthDate, p.sex
  FROM patients p JOIN identity_links l ON l.identity_ref = p.id`;

function identityDetails(db: Database, row: IdentityRow): IdentityRecord {
  const facilities = (db
    .prepare(`SELECT DISTINCT institution_name AS name FROM studies WHERE patient_ref = ? AND institution_name <> '' ORDER BY 1`)
    .all(row.id) as { name: string }[]).map((r) => r.name);
  const imports = db
    .prepare(`SELECT DISTINCT s.id AS sessionId, s.source_path AS source, s.started_at AS startedAt
      FROM studies st JOIN series se ON se.study_ref = st.id JOIN instances i ON i.series_ref = se.id
      JOIN import_sessions s ON s.id = i.import_session_id
      WHERE st.patient_ref = ? ORDER BY s.started_at`)
    .all(row.id) as ImportRef[];
  return { ...row, facilities, imports };
}

export function getIdentity(db: Database, identityId: number): IdentityRecord | null {
  const row = db.prepare(`${SELECT_IDENTITIES} WHERE p.id = ?`).get(identityId) as IdentityRow | undefined;
  return row ? identityDetails(db, row) : null;
}

function studiesOf(db: Database, localPatientId: number): PatientStudy[] {
  const rows = db
    .prepare(`SELECT st.study_instance_uid AS studyInstanceUid, st.study_date AS studyDate, st.study_time AS studyTime,
        (SELECT group_concat(DISTINCT se.modality) FROM series se WHERE se.study_ref = st.id) AS modalities,
        st.institution_name AS facility, st.study_description AS studyDescription, st.patient_ref AS identityId,
        s.id AS sessionId, s.source_path AS source, s.started_at AS startedAt
      FROM identity_links l JOIN studies st ON st.patient_ref = l.identity_ref
      LEFT JOIN import_sessions s ON s.id = st.first_import_session_id
      WHERE l.local_patient_ref = ? ORDER BY st.study_date, st.study_time, st.id`)
    .all(localPatientId) as (Omit<PatientStudy, 'modalities' | 'importedBy'> & {
      modalities: string | null;
      sessionId: number | null;
      source: string | null;
      startedAt: string | null;
    })[];
  return rows.map(({ modalities, sessionId, source, startedAt, ...row }) => ({
    ...row,
    modalities: (modalities ?? '').split(',').filter(Boolean),
    importedBy: sessionId === null ? null : { sessionId, source: source ?? '', startedAt: startedAt ?? '' },
  }));
}

function assemble(db: Database, id: number, identityRows: IdentityRow[]): LocalPatient {
  const identities = identityRows.map((row) => identityDetails(db, row));
  const first = identities[0];
  return {
    id,
    name: first?.name ?? '',
    birthDate: first?.birthDate ?? '',
    sex: first?.sex ?? '',
    identities,
    studies: studiesOf(db, id),
  };
}

export function getLocalPatient(db: Database, localPatientId: number): LocalPatient | null {
  const rows = db.prepare(`${SELECT_IDENTITIES} WHERE l.local_patient_ref = ? ORDER BY p.id`).all(localPatientId) as IdentityRow[];
  return rows.length === 0 ? null : assemble(db, localPatientId, rows);
}

/** Every local patient (an identity never linked to another is a patient of its own), by first identity. */
export function listLocalPatients(db: Database): LocalPatient[] {
  const rows = db.prepare(`${SELECT_IDENTITIES} ORDER BY l.local_patient_ref, p.id`).all() as IdentityRow[];
  const byPatient = new Map<number, IdentityRow[]>();
  for (const row of rows) {
    const list = byPatient.get(row.localPatientId) ?? [];
    list.push(row);
    byPatient.set(row.localPatientId, list);
  }
  return [...byPatient].map(([id, identities]) => assemble(db, id, identities));
}

/** The local patient a study's identity belongs to. */
export function localPatientOfStudy(db: Database, studyInstanceUid: string): number | null {
  const row = db
    .prepare(`SELECT l.local_patient_ref AS id FROM studies st JOIN identity_links l ON l.identity_ref = st.patient_ref
      WHERE st.study_instance_uid = ?`)
    .get(studyInstanceUid) as { id: number } | undefined;
  return row?.id ?? null;
}
