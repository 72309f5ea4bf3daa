import dcmjs from 'dcmjs';
import type { ExportContext, ExportUids, ReportExportBuilders } from '../../electron/services/reports/export-builders.ts';

/**
 * A stand-in for exports.ts while it is being written on another branch: a minimal but real Basic
 * Text SR written with dcmjs (so the library's read-back, store and index run on genuine DICOM),
 * plain text, and no PDF. It tests the storing of exports, not their content; the real builders'
 * output is validated by their own tests and by the README example test.
 */
type NaturalDataset = Record<string, unknown> & { _meta: Record<string, unknown> };
const writer = (dcmjs as unknown as { data: { datasetToBuffer(dataset: NaturalDataset): Buffer } }).data;

const BASIC_TEXT_SR = '1.2.840.10008.5.1.4.1.1.88.11';

function code(value: string, scheme: string, meaning: string): Record<string, string>[] {
  return [{ CodeValue: value, CodingSchemeDesignator: scheme, CodeMeaning: meaning }];
}

function standInSr(ctx: ExportContext, uids: ExportUids): Buffer {
  const now = ctx.generatedAt.toISOString().replace(/[-:T]/g, '');
  return writer.datasetToBuffer({
    _meta: { TransferSyntaxUID: { Value: ['1.2.840.10008.1.2.1'] } },
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: BASIC_TEXT_SR,
    SOPInstanceUID: uids.sopInstanceUid,
    StudyInstanceUID: uids.studyInstanceUid,
    SeriesInstanceUID: uids.seriesInstanceUid,
    Modality: 'SR',
    PatientName: ctx.patient.name,
    PatientID: ctx.patient.patientId,
    IssuerOfPatientID: ctx.patient.issuer,
    PatientBirthDate: ctx.patient.birthDate,
    PatientSex: ctx.patient.sex,
    StudyDate: ctx.study.studyDate,
    StudyTime: ctx.study.studyTime,
    AccessionNumber: ctx.study.accessionNumber,
    StudyID: ctx.study.studyId,
    ReferringPhysicianName: ctx.study.referringPhysicianName,
    SeriesNumber: 9001,
    InstanceNumber: 1,
    SeriesDescription: 'Second opinion (stand-in)',
    ContentDate: now.slice(0, 8),
    ContentTime: now.slice(8, 14),
    ValueType: 'CONTAINER',
    ContinuityOfContent: 'SEPARATE',
    ConceptNameCodeSequence: code('18748-4', 'LN', 'Diagnostic Imaging Report'),
    CompletionFlag: 'COMPLETE',
    VerificationFlag: 'UNVERIFIED',
    ContentSequence: [
      {
        RelationshipType: 'CONTAINS',
        ValueType: 'TEXT',
        ConceptNameCodeSequence: code('121073', 'DCM', 'Impression'),
        TextValue: ctx.report.content.secondOpinion.impression.slice(0, 1024),
      },
    ],
  });
}

export const standInExportBuilders: ReportExportBuilders = {
  buildReportText: (ctx) => `${ctx.report.content.secondOpinion.impression}\n`,
  buildReportPdf: () => Promise.reject(new Error('the stand-in builders make no PDF')),
  buildReportSr: standInSr,
  buildEncapsulatedPdf: () => {
    throw new Error('the stand-in builders make no Encapsulated PDF');
  },
};
