import type { ImageReference, Report } from '../../../shared/reports/report-model.ts';

/**
 * A report's exports: plain text for pasting into another system, a PDF for the referring physician
 * and the patient, a DICOM SR and an Encapsulated PDF written into the study. The report service calls
 * these with everything they print; they read no library and write no file.
 */

/** An instance of the study as the library knows it: the DICOM references need its series and class. */
export interface ReferencedInstance {
  sopInstanceUid: string;
  sopClassUid: string;
  seriesInstanceUid: string;
  /** The instance's study when it is not the reported one (an outside report filed elsewhere). */
  studyInstanceUid?: string;
}

export interface ExportContext {
  report: Report;
  patient: { name: string; patientId: string; issuer: string; birthDate: string; sex: string };
  study: {
    studyInstanceUid: string;
    studyDate: string;
    studyTime: string;
    accessionNumber: string;
    studyDescription: string;
    studyId: string;
    referringPhysicianName: string;
    institutionName: string;
    modalities: string[];
  };
  keyImages: { reference: ImageReference; png: Buffer | null }[];
  generatedAt: Date;
  /**
   * The study's instances the reader reviewed (and the outside report's document): the SR lists them as
   * evidence and references key images by them. Without it the SR carries no image references.
   */
  studyInstances?: ReferencedInstance[];
}

export interface ExportUids {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
}

export { buildReportText } from './report-text.ts';
export { buildReportPdf } from './report-pdf.ts';
export { buildReportSr } from './report-sr.ts';
export { buildEncapsulatedPdf } from './encapsulated-pdf.ts';
