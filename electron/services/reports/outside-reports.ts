import type { Database } from 'better-sqlite3';
import { outsideReportKind } from '../../../shared/reports/outside-report-kind.ts';
import type { OutsideReportKind } from '../../../shared/reports/outside-report-kind.ts';

export { OUTSIDE_REPORT_KINDS } from '../../../shared/reports/outside-report-kind.ts';
export type { OutsideReportKind } from '../../../shared/reports/outside-report-kind.ts';

/**
 * The outside reports that came on the media with a study, so the reporting pane can open them beside
 * the images (getDocument reads each); which instances these are is outsideReportKind's rule.
 */
export interface OutsideReportDocument {
  sopInstanceUid: string;
  sopClassUid: string;
  kind: OutsideReportKind;
  /** Header text as received (untrusted): the document title, else the series description. */
  title: string;
  seriesDescription: string;
  modality: string;
  contentDate: string;
}

export function listOutsideReports(db: Database, studyInstanceUid: string): OutsideReportDocument[] {
  const rows = db
    .prepare(`SELECT i.sop_instance_uid AS sopInstanceUid, i.sop_class_uid AS sopClassUid, i.document_title AS documentTitle,
        se.series_description AS seriesDescription, se.modality, i.content_date AS contentDate
      FROM instances i JOIN series se ON se.id = i.series_ref JOIN studies st ON st.id = se.study_ref
      WHERE st.study_instance_uid = ? AND NOT EXISTS (SELECT 1 FROM report_exports x WHERE x.sop_instance_uid = i.sop_instance_uid)
      ORDER BY i.content_date, se.series_number, i.instance_number, i.id`)
    .all(studyInstanceUid) as (Omit<OutsideReportDocument, 'kind' | 'title'> & { documentTitle: string })[];
  const documents: OutsideReportDocument[] = [];
  for (const { documentTitle, ...row } of rows) {
    const title = documentTitle || row.seriesDescription;
    const kind = outsideReportKind({ ...row, documentTitle });
    if (kind) {
      documents.push({ ...row, kind, title });
    }
  }
  return documents;
}
