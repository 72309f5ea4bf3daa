import type { ImageReference, Report } from '../../../shared/reports/report-model.ts';
import * as builders from './exports.ts';

/**
 * The report exports (PDF, DICOM SR, Encapsulated PDF, plain text) are built by exports.ts in this
 * folder, from the data gathered here (export-context.ts). This file is the seam between the two: the
 * agreed signatures, and where the library finds the builders. Until exports.ts is part of the build,
 * `reportExportBuilders` is null and exporting says so; the lifecycle, the storing into the library
 * and the audit are built and tested against these signatures.
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
  /** The study's patient identity as received (untrusted header text). */
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
  /** The report's key images with the PNG the viewer captured (null when none was captured). */
  keyImages: { reference: ImageReference; png: Buffer | null }[];
  generatedAt: Date;
  /** The study's instances (and the outside report's document, wherever it is filed), for the SR's references. */
  studyInstances?: ReferencedInstance[];
}

export interface ExportUids {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
}

export interface ReportExportBuilders {
  buildReportText(ctx: ExportContext): string;
  buildReportPdf(ctx: ExportContext): Promise<Buffer>;
  buildReportSr(ctx: ExportContext, uids: ExportUids): Buffer;
  buildEncapsulatedPdf(ctx: ExportContext, pdf: Buffer, uids: ExportUids): Buffer;
}

/** The builders of exports.ts (null would make exporting say the exports are not part of the build). */
export const reportExportBuilders: ReportExportBuilders | null = builders;
