import type { Database } from 'better-sqlite3';
import { concordanceOverview, filterCases } from '../../../shared/reports/overview.ts';
import type { ConcordanceOverview, OverviewCase, OverviewCaseRecord, OverviewFilter, OverviewGrouping } from '../../../shared/reports/overview.ts';
import type { OutcomeSupport } from '../../../shared/reports/report-logic.ts';

interface CaseRow {
  id: number;
  studyInstanceUid: string;
  patientName: string;
  patientId: string;
  studyDate: string;
  readerId: string;
  readerName: string;
  facility: string | null;
  signedAt: string;
  verdict: OverviewCase['verdict'];
  outsideAssessment: OverviewCase['outsideAssessment'];
  secondOpinionAssessment: OverviewCase['secondOpinionAssessment'];
  modalities: string | null;
}

/**
 * The signed reports with a confirmed verdict, as the overview counts them, each with the study and
 * the reader (the report's own signature) behind it; a study's modalities are those it came with, not
 * Concord's exports.
 */
export function overviewCases(db: Database): OverviewCaseRecord[] {
  const rows = db
    .prepare(`SELECT r.id, r.study_instance_uid AS studyInstanceUid, p.patient_name AS patientName, p.patient_id AS patientId,
        st.study_date AS studyDate, sig.profile_ref AS readerId, sig.name AS readerName,
        json_extract(r.content, '$.outside.facility') AS facility, r.signed_at AS signedAt, r.verdict, r.outside_assessment AS outsideAssessment,
        r.second_assessment AS secondOpinionAssessment,
        (SELECT group_concat(DISTINCT se.modality) FROM series se WHERE se.study_ref = st.id
          AND se.series_instance_uid NOT IN (SELECT series_instance_uid FROM report_exports)) AS modalities
      FROM reports r JOIN studies st ON st.study_instance_uid = r.study_instance_uid
      JOIN patients p ON p.id = st.patient_ref
      JOIN report_signatures sig ON sig.report_ref = r.id AND sig.addendum_ref IS NULL
      WHERE r.status IN ('signed', 'amended') AND r.verdict IS NOT NULL ORDER BY r.signed_at, r.id`)
    .all() as CaseRow[];
  const supportsOf = db.prepare('SELECT supports FROM report_outcomes WHERE report_ref = ? ORDER BY id');
  return rows.map((row) => ({
    reportId: row.id,
    studyInstanceUid: row.studyInstanceUid,
    patientName: row.patientName,
    patientId: row.patientId,
    studyDate: row.studyDate,
    readerId: row.readerId,
    readerName: row.readerName,
    modalities: (row.modalities ?? '').split(',').filter(Boolean),
    facility: typeof row.facility === 'string' ? row.facility : '',
    signedAt: row.signedAt,
    verdict: row.verdict,
    outsideAssessment: row.outsideAssessment,
    secondOpinionAssessment: row.secondOpinionAssessment,
    outcomeSupports: (supportsOf.all(row.id) as { supports: OutcomeSupport | null }[]).map((outcome) => outcome.supports),
  }));
}

export interface FilteredOverview {
  overview: ConcordanceOverview;
  /** The cases counted (after the filter): what each count's list is drawn from. */
  cases: OverviewCaseRecord[];
  /** Every reader who signed a counted report, whatever the filter: what the reader filter offers. */
  readers: { id: string; name: string }[];
}

export function filteredOverview(db: Database, groupBy: OverviewGrouping, filter: OverviewFilter = {}): FilteredOverview {
  const all = overviewCases(db);
  const cases = filterCases(all, filter);
  const readers = new Map<string, string>();
  for (const item of all) {
    readers.set(item.readerId, item.readerName);
  }
  return {
    overview: concordanceOverview(cases, groupBy),
    cases,
    readers: [...readers].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
  };
}

export function overviewOf(db: Database, groupBy: OverviewGrouping, filter: OverviewFilter = {}): ConcordanceOverview {
  return filteredOverview(db, groupBy, filter).overview;
}
