import { commonModules, reportSeriesDescription, writePart10 } from './dicom-writer.ts';
import type { ExportContext, ExportUids } from './exports.ts';

const ENCAPSULATED_PDF_STORAGE = '1.2.840.10008.5.1.4.1.1.104.1';

/**
 * The report's PDF as an Encapsulated PDF instance of the study: the study's patient and study modules,
 * a new document series, the PDF's bytes (padded to even length; Encapsulated Document Length says how
 * many are the PDF's).
 */
export function buildEncapsulatedPdf(context: ExportContext, pdf: Buffer, uids: ExportUids): Buffer {
  const document = pdf.length % 2 === 1 ? Buffer.concat([pdf, Buffer.from([0])]) : pdf;
  const signed = context.report.signature !== null;
  return writePart10({
    ...commonModules(context, uids, { sopClassUid: ENCAPSULATED_PDF_STORAGE, modality: 'DOC', seriesNumber: 991, seriesDescription: reportSeriesDescription(context.report, 'PDF') }),
    ConversionType: 'WSD',
    // The pages carry the patient's name and identifiers.
    BurnedInAnnotation: 'YES',
    AcquisitionDateTime: '',
    DocumentTitle: signed ? 'Second-opinion report' : 'Second-opinion report (draft, not signed)',
    ConceptNameCodeSequence: [{ CodeValue: '18748-4', CodingSchemeDesignator: 'LN', CodeMeaning: 'Diagnostic Imaging Report' }],
    VerificationFlag: signed ? 'VERIFIED' : 'UNVERIFIED',
    MIMETypeOfEncapsulatedDocument: 'application/pdf',
    EncapsulatedDocument: document.buffer.slice(document.byteOffset, document.byteOffset + document.byteLength),
    EncapsulatedDocumentLength: pdf.length,
  });
}
