import type { Database } from 'better-sqlite3';

/**
 * The outside reports that came on the media with a study, so the reporting pane can open them beside
 * the images (getDocument reads each): text SR documents (Basic Text, Enhanced, Comprehensive SR),
 * encapsulated PDF or CDA, and scanned report pages (Secondary Capture or OT images whose series
 * description or document title says "report"). Dose reports, measurement reports and Concord's own
 * exports are not outside reports.
 */
export const OUTSIDE_REPORT_KINDS = ['structured-report', 'encapsulated-document', 'scanned-image'] as const;
export type OutsideReportKind = (typeof OUTSIDE_REPORT_KINDS)[number];

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

const TEXT_SR = ['1.2.840.10008.5.1.4.1.1.88.11', '1.2.840.10008.5.1.4.1.1.88.22', '1.2.840.10008.5.1.4.1.1.88.33'];
const DOCUMENTS = ['1.2.840.10008.5.1.4.1.1.104.1', '1.2.840.10008.5.1.4.1.1.104.2'];
const SECONDARY_CAPTURE = /^1\.2\.840\.10008\.5\.1\.4\.1\.1\.7(\.[1-4])?$/;

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
    const kind: OutsideReportKind | null = TEXT_SR.includes(row.sopClassUid)
      ? 'structured-report'
      : DOCUMENTS.includes(row.sopClassUid)
        ? 'encapsulated-document'
        : (SECONDARY_CAPTURE.test(row.sopClassUid) || row.modality === 'OT') && /report/i.test(`${documentTitle} ${row.seriesDescription}`)
          ? 'scanned-image'
          : null;
    if (kind) {
      documents.push({ ...row, kind, title });
    }
  }
  return documents;
}
