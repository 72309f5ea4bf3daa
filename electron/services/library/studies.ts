import type { Database } from 'better-sqlite3';

export interface StudyListEntry {
  studyInstanceUid: string;
  patientName: string;
  patientId: string;
  issuerOfPatientId: string;
  patientBirthDate: string;
  patientSex: string;
  studyDate: string;
  studyTime: string;
  accessionNumber: string;
  studyDescription: string;
  modalities: string[];
  seriesCount: number;
  instanceCount: number;
  nonImageInstanceCount: number;
}

export interface StudyQuery {
  /** Free text matched against names (any script), identifiers and descriptions. */
  text?: string;
  limit?: number;
}

const SELECT_STUDIES = `
  SELECT st.study_instance_uid AS studyInstanceUid, p.patient_name AS patientName, p.patient_id AS patientId,
    p.issuer_of_patient_id AS issuerOfPatientId, p.birth_date AS patientBirthDate, p.sex AS patientSex,
    st.study_date AS studyDate, st.study_time AS studyTime, st.accession_number AS accessionNumber,
    st.study_description AS studyDescription,
    (SELECT group_concat(DISTINCT se.modality) FROM series se WHERE se.study_ref = st.id) AS modalities,
    (SELECT count(*) FROM series se WHERE se.study_ref = st.id) AS seriesCount,
    (SELECT count(*) FROM series se JOIN instances i ON i.series_ref = se.id WHERE se.study_ref = st.id) AS instanceCount,
    (SELECT count(*) FROM series se JOIN instances i ON i.series_ref = se.id
       WHERE se.study_ref = st.id AND i.displayable = 0) AS nonImageInstanceCount
  FROM studies st JOIN patients p ON p.id = st.patient_ref`;

type Row = Omit<StudyListEntry, 'modalities'> & { modalities: string | null };

function escapeFts(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** Studies, newest first; with text, those whose names, identifiers or descriptions contain it. */
export function listStudies(db: Database, query: StudyQuery = {}): StudyListEntry[] {
  const limit = query.limit ?? 10000;
  const text = query.text?.trim() ?? '';
  let rows: Row[];
  if (text === '') {
    rows = db.prepare(`${SELECT_STUDIES} ORDER BY st.study_date DESC, st.study_time DESC LIMIT ?`).all(limit) as Row[];
  } else if ([...text].length >= 3) {
    rows = db
      .prepare(`${SELECT_STUDIES} WHERE st.id IN (SELECT rowid FROM study_search WHERE study_search MATCH ?)
        ORDER BY st.study_date DESC, st.study_time DESC LIMIT ?`)
      .all(escapeFts(text), limit) as Row[];
  } else {
    // Trigrams need three characters; shorter text (a two-syllable Korean name) falls back to a scan.
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    rows = db
      .prepare(`${SELECT_STUDIES} WHERE st.id IN (SELECT rowid FROM study_search
          WHERE patient_names LIKE ? ESCAPE '\\' OR identifiers LIKE ? ESCAPE '\\' OR descriptions LIKE ? ESCAPE '\\')
        ORDER BY st.study_date DESC, st.study_time DESC LIMIT ?`)
      .all(like, like, like, limit) as Row[];
  }
  return rows.map((row) => ({ ...row, modalities: (row.modalities ?? '').split(',').filter(Boolean) }));
}
