import type { Database } from 'better-sqlite3';
import { concordanceOverview } from '../../../shared/reports/overview.ts';
import type { ConcordanceOverview, OverviewCase, OverviewGrouping } from '../../../shared/reports/overview.ts';
import type { OutcomeSupport } from '../../../shared/reports/report-logic.ts';

interface CaseRow {
  id: number;
  facility: string | null;
  signedAt: string;
  verdict: OverviewCase['verdict'];
  outsideAssessment: OverviewCase['outsideAssessment'];
  secondOpinionAssessment: OverviewCase['secondOpinionAssessment'];
  modalities: string | null;
}

/** The signed reports with a confirmed verdict, as the overview counts them; a study's modalities are those it came with, not Concord's exports. */
export function overviewCases(db: Database): OverviewCase[] {
  const rows = db
    .prepare(`SELECT r.id, json_extract(r.content, '$.outside.facility') AS facility, r.signed_at AS signedAt, r.verdict, r.outside_assessment AS outsideAssessment,
        r.second_assessment AS secondOpinionAssessment,
        (SELECT group_concat(DISTINCT se.modality) FROM series se WHERE se.study_ref = st.id
          AND se.series_instance_uid NOT IN (SELECT series_instance_uid FROM report_exports)) AS modalities
      FROM reports r JOIN studies st ON st.study_instance_uid = r.study_instance_uid
      WHERE r.status IN ('signed', 'amended') AND r.verdict IS NOT NULL ORDER BY r.signed_at, r.id`)
    .all() as CaseRow[];
  const supportsOf = db.prepare('SELECT supports FROM report_outcomes WHERE report_ref = ? ORDER BY id');
  return rows.map((row) => ({
    modalities: (row.modalities ?? '').split(',').filter(Boolean),
    facility: typeof row.facility === 'string' ? row.facility : '',
    signedAt: row.signedAt,
    verdict: row.verdict,
    outsideAssessment: row.outsideAssessment,
    secondOpinionAssessment: row.secondOpinionAssessment,
    outcomeSupports: (supportsOf.all(row.id) as { supports: OutcomeSupport | null }[]).map((outcome) => outcome.supports),
  }));
}

export function overviewOf(db: Database, groupBy: OverviewGrouping): ConcordanceOverview {
  return concordanceOverview(overviewCases(db), groupBy);
}
