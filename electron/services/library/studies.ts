import type { Database } from 'better-sqlite3';
import type { ObjectKind } from '../../../shared/dicom/sop-classes.ts';
import { searchTerms } from '../../../shared/dicom/search-text.ts';

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
  /** The local patient the study's outside identity belongs to, and that patient's name. */
  localPatientId: number;
  localPatientName: string;
  /** Open link proposals for the study's identity: it may be someone the library knows under another identity. */
  openProposals: number;
  /** The second-opinion report's status ('unread' when the study has none) and its confirmed verdict. */
  reportStatus: 'unread' | 'draft' | 'signed' | 'amended';
  verdict: 'concordant' | 'minor' | 'major' | null;
}

export interface StudyQuery {
  /** Free text matched against names (any script), identifiers and descriptions. */
  text?: string;
  /** Inclusive study date range, DICOM DA (YYYYMMDD). */
  dateFrom?: string;
  dateTo?: string;
  /** Studies with a series of this modality. */
  modality?: string;
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
       WHERE se.study_ref = st.id AND i.displayable = 0) AS nonImageInstanceCount,
    l.local_patient_ref AS localPatientId,
    (SELECT p1.patient_name FROM identity_links l1 JOIN patients p1 ON p1.id = l1.identity_ref
       WHERE l1.local_patient_ref = l.local_patient_ref ORDER BY l1.identity_ref LIMIT 1) AS localPatientName,
    (SELECT count(*) FROM link_proposals lp
       JOIN identity_links la ON la.identity_ref = lp.identity_a JOIN identity_links lb ON lb.identity_ref = lp.identity_b
       WHERE lp.status = 'open' AND la.local_patient_ref <> lb.local_patient_ref
         AND (lp.identity_a = p.id OR lp.identity_b = p.id)) AS openProposals,
    coalesce(r.status, 'unread') AS reportStatus, r.verdict AS verdict
  FROM studies st JOIN patients p ON p.id = st.patient_ref JOIN identity_links l ON l.identity_ref = p.id
  LEFT JOIN reports r ON r.study_instance_uid = st.study_instance_uid`;

type Row = Omit<StudyListEntry, 'modalities'> & { modalities: string | null };

function ftsPhrase(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The text filter: every word of the query (DICOM's separators and spaces cut words, see
 * shared/dicom/search-text.ts) is found inside the study's names, identifiers or descriptions, as
 * stored. Words of three characters or more go through the trigram index; shorter ones (a
 * two-syllable Korean name) are matched by a scan of the rows the index left.
 */
function textFilter(text: string): { sql: string; params: string[] } | null {
  const terms = searchTerms(text);
  if (terms.length === 0) {
    return null;
  }
  const indexed = terms.filter((term) => [...term].length >= 3);
  const scanned = terms.filter((term) => [...term].length < 3);
  const where: string[] = [];
  const params: string[] = [];
  if (indexed.length > 0) {
    where.push('study_search MATCH ?');
    params.push(indexed.map(ftsPhrase).join(' AND '));
  }
  for (const term of scanned) {
    where.push(`(patient_names || ' ' || identifiers || ' ' || descriptions) LIKE ? ESCAPE '\\'`);
    params.push(likePattern(term));
  }
  return { sql: `st.id IN (SELECT rowid FROM study_search WHERE ${where.join(' AND ')})`, params };
}

/**
 * Studies, newest first, filtered by text (names in any script, identifiers, descriptions), study
 * date range and modality. Every filter runs through an index (see the query-plan test).
 */
export function listStudies(db: Database, query: StudyQuery = {}): StudyListEntry[] {
  const limit = query.limit ?? 10000;
  const where: string[] = [];
  const params: unknown[] = [];
  const text = textFilter(query.text ?? '');
  if (text) {
    where.push(text.sql);
    params.push(...text.params);
  }
  if (query.dateFrom) {
    where.push('st.study_date >= ?');
    params.push(query.dateFrom);
  }
  if (query.dateTo) {
    where.push("st.study_date <= ? AND st.study_date <> ''");
    params.push(query.dateTo);
  }
  if (query.modality) {
    where.push('EXISTS (SELECT 1 FROM series se WHERE se.study_ref = st.id AND se.modality = ?)');
    params.push(query.modality);
  }
  const sql = `${SELECT_STUDIES} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY st.study_date DESC, st.study_time DESC LIMIT ?`;
  const rows = db.prepare(sql).all(...params, limit) as Row[];
  return rows.map((row) => ({ ...row, modalities: (row.modalities ?? '').split(',').filter(Boolean) }));
}

export interface StudyDetail {
  study: StudyListEntry;
  series: {
    seriesInstanceUid: string;
    modality: string;
    seriesNumber: number | null;
    seriesDescription: string;
    bodyPartExamined: string;
    laterality: string;
    instances: {
      sopInstanceUid: string;
      sopClassUid: string;
      objectKind: ObjectKind;
      displayable: boolean;
      instanceNumber: number | null;
      numberOfFrames: number;
      rows: number | null;
      columns: number | null;
      imageLaterality: string;
      viewPosition: string;
      viewCodeMeaning: string;
      patientOrientation: string;
      imagePositionPatient: string | null;
      imageOrientationPatient: string | null;
      documentTitle: string;
      calibration: {
        pixelSpacing: number[] | null;
        imagerPixelSpacing: number[] | null;
        estimatedRadiographicMagnificationFactor: number | null;
        pixelSpacingCalibrationType: string | null;
        nominalScannedPixelSpacing: number[] | null;
      };
    }[];
  }[];
  otherStudies: StudyListEntry[];
  importedFrom: { sessionId: number; source: string; startedAt: string }[];
}

type SeriesRow = Omit<StudyDetail['series'][number], 'instances'> & { id: number };
type InstanceRow = Omit<StudyDetail['series'][number]['instances'][number], 'displayable' | 'calibration'> & {
  displayable: number;
  pixelSpacing: string | null;
  imagerPixelSpacing: string | null;
  ermf: number | null;
  calibrationType: string;
  nominalScanned: string | null;
};

/** A multi-valued number column as the index writes it ("0.1\\0.1"); null when absent or not all numbers. */
export function numberList(text: string | null): number[] | null {
  if (!text) {
    return null;
  }
  const values = text.split('\\').map(Number);
  return values.every(Number.isFinite) ? values : null;
}

/** One study with its series and instances, the same local patient's other studies, and where it came from. */
export function getStudyDetail(db: Database, studyInstanceUid: string): StudyDetail | null {
  const head = db.prepare(`SELECT st.id, l.local_patient_ref AS local_patient_ref FROM studies st
      JOIN identity_links l ON l.identity_ref = st.patient_ref WHERE st.study_instance_uid = ?`).get(studyInstanceUid) as
    | { id: number; local_patient_ref: number }
    | undefined;
  if (!head) {
    return null;
  }
  const toEntry = (row: Row): StudyListEntry => ({ ...row, modalities: (row.modalities ?? '').split(',').filter(Boolean) });
  const study = toEntry(db.prepare(`${SELECT_STUDIES} WHERE st.id = ?`).get(head.id) as Row);
  // The local patient's other studies, under every identity linked to it: the candidate priors.
  const otherStudies = (db.prepare(`${SELECT_STUDIES}
      WHERE st.patient_ref IN (SELECT identity_ref FROM identity_links WHERE local_patient_ref = ?) AND st.id <> ?
      ORDER BY st.study_date DESC`)
    .all(head.local_patient_ref, head.id) as Row[]).map(toEntry);
  const seriesRows = db
    .prepare(`SELECT id, series_instance_uid AS seriesInstanceUid, modality, series_number AS seriesNumber,
        series_description AS seriesDescription, body_part_examined AS bodyPartExamined, laterality
      FROM series WHERE study_ref = ? ORDER BY series_number, id`)
    .all(head.id) as SeriesRow[];
  const instancesOf = db.prepare(`SELECT sop_instance_uid AS sopInstanceUid, sop_class_uid AS sopClassUid, object_kind AS objectKind,
      displayable, instance_number AS instanceNumber, number_of_frames AS numberOfFrames, rows, columns,
      image_laterality AS imageLaterality, view_position AS viewPosition, view_code_meaning AS viewCodeMeaning,
      patient_orientation AS patientOrientation, image_position_patient AS imagePositionPatient,
      image_orientation_patient AS imageOrientationPatient, document_title AS documentTitle,
      pixel_spacing AS pixelSpacing, imager_pixel_spacing AS imagerPixelSpacing,
      estimated_radiographic_magnification_factor AS ermf, pixel_spacing_calibration_type AS calibrationType,
      nominal_scanned_pixel_spacing AS nominalScanned
    FROM instances WHERE series_ref = ? ORDER BY instance_number, id`);
  const series = seriesRows.map(({ id, ...rest }) => ({
    ...rest,
    instances: (instancesOf.all(id) as InstanceRow[]).map(
      ({ pixelSpacing, imagerPixelSpacing, ermf, calibrationType, nominalScanned, ...row }) => ({
        ...row,
        displayable: row.displayable === 1,
        calibration: {
          pixelSpacing: numberList(pixelSpacing),
          imagerPixelSpacing: numberList(imagerPixelSpacing),
          estimatedRadiographicMagnificationFactor: ermf,
          pixelSpacingCalibrationType: calibrationType || null,
          nominalScannedPixelSpacing: numberList(nominalScanned),
        },
      }),
    ),
  }));
  const importedFrom = db
    .prepare(`SELECT DISTINCT s.id AS sessionId, s.source_path AS source, s.started_at AS startedAt
      FROM instances i JOIN series se ON se.id = i.series_ref JOIN import_sessions s ON s.id = i.import_session_id
      WHERE se.study_ref = ? ORDER BY s.started_at`)
    .all(head.id) as StudyDetail['importedFrom'];
  return { study, series, otherStudies, importedFrom };
}

/**
 * The store key and transfer syntax of an instance, for serving its file, and whether it was imported
 * through quirks (its outcome has notes): then the viewer is handed the repaired reading.
 */
export function storedInstance(
  db: Database,
  sopInstanceUid: string,
): { key: string; transferSyntaxUid: string; quirked: boolean } | null {
  const row = db
    .prepare(`SELECT i.store_key AS key, i.transfer_syntax_uid AS transferSyntaxUid, n.notes IS NOT NULL AS quirked
      FROM instances i
      LEFT JOIN import_outcome_notes n ON n.session_id = i.import_session_id AND n.path = i.source_path
      WHERE i.sop_instance_uid = ?`)
    .get(sopInstanceUid) as { key: string; transferSyntaxUid: string; quirked: number } | undefined;
  return row ? { key: row.key, transferSyntaxUid: row.transferSyntaxUid, quirked: row.quirked === 1 } : null;
}
