/**
 * Which instances are outside reports, opened by the reporting pane beside the images: text SR
 * documents (Basic Text, Enhanced, Comprehensive SR), encapsulated PDF or CDA, and scanned report
 * pages (Secondary Capture or OT images whose series description or document title says "report").
 * Dose reports, measurement reports and Concord's own exports are not outside reports (the caller
 * leaves out its own exports). One rule for the import's messages and the reporting pane's list.
 */
export const OUTSIDE_REPORT_KINDS = ['structured-report', 'encapsulated-document', 'scanned-image'] as const;
export type OutsideReportKind = (typeof OUTSIDE_REPORT_KINDS)[number];

const TEXT_SR = ['1.2.840.10008.5.1.4.1.1.88.11', '1.2.840.10008.5.1.4.1.1.88.22', '1.2.840.10008.5.1.4.1.1.88.33'];
const DOCUMENTS = ['1.2.840.10008.5.1.4.1.1.104.1', '1.2.840.10008.5.1.4.1.1.104.2'];
const SECONDARY_CAPTURE = /^1\.2\.840\.10008\.5\.1\.4\.1\.1\.7(\.[1-4])?$/;

export interface ReportCandidate {
  sopClassUid: string;
  modality: string;
  documentTitle: string;
  seriesDescription: string;
}

/** The kind of outside report an instance is, or null when it is not one. */
export function outsideReportKind(instance: ReportCandidate): OutsideReportKind | null {
  if (TEXT_SR.includes(instance.sopClassUid)) {
    return 'structured-report';
  }
  if (DOCUMENTS.includes(instance.sopClassUid)) {
    return 'encapsulated-document';
  }
  const scannedPage = SECONDARY_CAPTURE.test(instance.sopClassUid) || instance.modality === 'OT';
  return scannedPage && /report/i.test(`${instance.documentTitle} ${instance.seriesDescription}`) ? 'scanned-image' : null;
}

/** What the import says of an outside report it found. */
export const OUTSIDE_REPORT_FOUND = 'outside report found: opens beside the images';
