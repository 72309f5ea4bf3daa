import type { Database } from 'better-sqlite3';
import type { ObjectKind } from '../../../shared/dicom/sop-classes.ts';
import { PROBLEM_OUTCOMES, emptyOutcomeCounts, foundNoDicom, noDicomReason } from '../../../shared/import/outcomes.ts';
import type {
  FileOutcome, FileOutcomeRecord, ImportNote, ImportStatus, ImportSummary, ImportedStudySummary,
} from '../../../shared/import/outcomes.ts';

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
    studies: studies.map((s) => ({ ...s, modalities: (s.modalities ?? '').split(',').filter(Boolean) })),
  };
}
