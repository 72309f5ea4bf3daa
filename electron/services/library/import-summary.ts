import type { Database } from 'better-sqlite3';
import type { ObjectKind } from '../../../shared/dicom/sop-classes.ts';
import { PROBLEM_OUTCOMES, emptyOutcomeCounts, foundNoDicom, noDicomReason } from '../../../shared/import/outcomes.ts';
import type {
  EarlierImport, FileOutcome, FileOutcomeRecord, ImportNote, ImportStatus, ImportSummary, ImportedStudySummary, PossibleMatch,
} from '../../../shared/import/outcomes.ts';
import { OUTSIDE_REPORT_FOUND, outsideReportKind } from '../../../shared/reports/outside-report-kind.ts';
import type { ReportCandidate } from '../../../shared/reports/outside-report-kind.ts';

interface OutcomeRow {
  path: string;
  outcome: FileOutcome;
  reason: string | null;
  sop_instance_uid: string | null;
  sop_class_uid: string | null;
  object_kind: string | null;
  bytes: number | null;
  notes: string | null;
}

function parseNotes(text: string | null): ImportNote[] {
  if (!text) {
    return [];
  }
  const parsed = JSON.parse(text) as unknown;
  return Array.isArray(parsed) ? (parsed as ImportNote[]) : [];
}

function toRecord(row: OutcomeRow): FileOutcomeRecord {
  return {
    path: row.path,
    outcome: row.outcome,
    reason: row.reason,
    sopInstanceUid: row.sop_instance_uid,
    sopClassUid: row.sop_class_uid,
    objectKind: row.object_kind as ObjectKind | null,
    bytes: row.bytes,
    notes: parseNotes(row.notes),
  };
}

export function listOutcomes(db: Database, sessionId: number): FileOutcomeRecord[] {
  const rows = db
    .prepare(`SELECT o.path, o.outcome, o.reason, o.sop_instance_uid, o.sop_class_uid, o.object_kind, o.bytes, n.notes
      FROM import_outcomes o
      LEFT JOIN import_outcome_notes n ON n.session_id = o.session_id AND n.path = o.path
      WHERE o.session_id = ? ORDER BY o.path`)
    .all(sessionId) as OutcomeRow[];
  return rows.map(toRecord);
}

/**
 * The SOP Instance UIDs of the session's instances (imported or already present) that are outside
 * reports by outsideReportKind's rule; Concord's own exports are not.
 */
function outsideReportUids(db: Database, sessionId: number): Set<string> {
  const rows = db
    .prepare(`SELECT i.sop_instance_uid AS uid, i.sop_class_uid AS sopClassUid, se.modality, i.document_title AS documentTitle,
        se.series_description AS seriesDescription
      FROM import_outcomes o
      JOIN instances i ON i.sop_instance_uid = o.sop_instance_uid
      JOIN series se ON se.id = i.series_ref
      WHERE o.session_id = ? AND o.outcome IN ('imported', 'already-present')
        AND NOT EXISTS (SELECT 1 FROM report_exports x WHERE x.sop_instance_uid = i.sop_instance_uid)`)
    .all(sessionId) as (ReportCandidate & { uid: string })[];
  return new Set(rows.filter((row) => outsideReportKind(row) !== null).map((row) => row.uid));
}

/** The earlier sessions that first brought this session's already-present instances. */
function earlierImportsOf(db: Database, sessionId: number): EarlierImport[] {
  return db
    .prepare(`SELECT s.id AS sessionId, s.source_path AS source, s.started_at AS startedAt, count(*) AS instances
      FROM import_outcomes o
      JOIN instances i ON i.sop_instance_uid = o.sop_instance_uid
      JOIN import_sessions s ON s.id = i.import_session_id
      WHERE o.session_id = ? AND o.outcome = 'already-present' AND s.id <> o.session_id
      GROUP BY s.id ORDER BY s.started_at, s.id`)
    .all(sessionId) as EarlierImport[];
}

/**
 * The link proposals the session made when it finished (the importer makes them stamped with its
 * finishing time), each with the identity it brought: the one with a study from this session, else
 * the newer of the two.
 */
function possibleMatchesOf(db: Database, sessionId: number, finishedAt: string | null): PossibleMatch[] {
  if (finishedAt === null) {
    return [];
  }
  return db
    .prepare(`SELECT lp.id AS proposalId, l.local_patient_ref AS localPatientId, p.patient_name AS patientName, p.patient_id AS patientId
      FROM link_proposals lp
      JOIN patients p ON p.id = CASE
        WHEN EXISTS (SELECT 1 FROM studies st WHERE st.patient_ref = lp.identity_a AND st.first_import_session_id = ?)
          AND NOT EXISTS (SELECT 1 FROM studies st WHERE st.patient_ref = lp.identity_b AND st.first_import_session_id = ?)
        THEN lp.identity_a ELSE lp.identity_b END
      JOIN identity_links l ON l.identity_ref = p.id
      WHERE lp.created_at = ? ORDER BY lp.id`)
    .all(sessionId, sessionId, finishedAt) as PossibleMatch[];
}

/** The summary of one import session, read back from the index (what was committed is what is reported). */
export function buildImportSummary(db: Database, sessionId: number): ImportSummary {
  const session = db
    .prepare('SELECT source_path, started_at, finished_at, status, status_reason, files_seen, bytes_imported FROM import_sessions WHERE id = ?')
    .get(sessionId) as {
    source_path: string;
    started_at: string;
    finished_at: string | null;
    status: Exclude<ImportStatus, 'no-dicom'>;
    status_reason: string | null;
    files_seen: number;
    bytes_imported: number;
  };
  const outcomes = listOutcomes(db, sessionId);
  const counts = emptyOutcomeCounts();
  for (const record of outcomes) {
    counts[record.outcome] += 1;
  }
  const studies = db
    .prepare(`SELECT st.study_instance_uid AS studyInstanceUid, p.patient_name AS patientName, p.patient_id AS patientId,
        st.study_date AS studyDate, st.study_description AS studyDescription,
        group_concat(DISTINCT se.modality) AS modalities, count(i.id) AS instances
      FROM import_outcomes o
      JOIN instances i ON i.sop_instance_uid = o.sop_instance_uid
      JOIN series se ON se.id = i.series_ref
      JOIN studies st ON st.id = se.study_ref
      JOIN patients p ON p.id = st.patient_ref
      WHERE o.session_id = ? AND o.outcome IN ('imported', 'already-present')
      GROUP BY st.id ORDER BY p.patient_name, st.study_date`)
    .all(sessionId) as (Omit<ImportedStudySummary, 'modalities'> & { modalities: string | null })[];
  const finishedAt = session.finished_at ?? new Date().toISOString();
  const reports = outsideReportUids(db, sessionId);
  // Derived, not stored: a session that ran to the end but met no DICOM file says so in its own words.
  const noDicom = session.status === 'completed' && foundNoDicom(counts);
  return {
    sessionId,
    source: session.source_path,
    status: noDicom ? 'no-dicom' : session.status,
    statusReason: noDicom ? noDicomReason(session.source_path, counts) : session.status_reason,
    startedAt: session.started_at,
    finishedAt,
    durationMs: Date.parse(finishedAt) - Date.parse(session.started_at),
    filesSeen: session.files_seen,
    counts,
    bytesImported: session.bytes_imported,
    problems: outcomes.filter((o) => PROBLEM_OUTCOMES.has(o.outcome)),
    conflicts: outcomes.filter((o) => o.outcome === 'conflict'),
    quirked: outcomes.filter((o) => o.notes.length > 0),
    unfiled: outcomes.filter((o) => o.outcome === 'unfiled'),
    nonImageInstances: outcomes.filter(
      (o) => (o.outcome === 'imported' || o.outcome === 'already-present') && o.objectKind !== null && o.objectKind !== 'image',
    ),
    outsideReports: outcomes
      .filter((o) => o.sopInstanceUid !== null && reports.has(o.sopInstanceUid) && (o.outcome === 'imported' || o.outcome === 'already-present'))
      .map((o) => ({ ...o, reason: o.outcome === 'imported' ? OUTSIDE_REPORT_FOUND : `already in the library; ${OUTSIDE_REPORT_FOUND}` })),
    earlierImports: earlierImportsOf(db, sessionId),
    possibleMatches: possibleMatchesOf(db, sessionId, session.finished_at),
    studies: studies.map((s) => ({ ...s, modalities: (s.modalities ?? '').split(',').filter(Boolean) })),
  };
}
