import type { InstanceDocument } from '../../../shared/reports/document.ts';
import { classifySopClass } from '../../../shared/dicom/sop-classes.ts';
import { asPart10, loadDcmjs } from '../import/dataset-compare.ts';
import { DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, deliverableBytes } from '../store/delivery.ts';
import type { Dataset } from './dataset-values.ts';
import { textOf } from './dataset-values.ts';
import { documentHeaderOf, structuredReportOf } from './sr-document.ts';

const ENCAPSULATED_PDF = '1.2.840.10008.5.1.4.1.1.104.1';
const ENCAPSULATED_DOCUMENT = '00420011';
const ENCAPSULATED_DOCUMENT_LENGTH = '00420015';
const PIXEL_DATA = '7FE00010';

/** A stored instance: where its file is and how it was received. */
export interface StoredFile {
  path: string;
  transferSyntaxUid: string;
}

/** The stored file as a dcmjs dataset; headerOnly stops before the pixel data. */
async function readDataset(file: StoredFile, headerOnly: boolean): Promise<Dataset> {
  const dcmjs = await loadDcmjs();
  const bytes =
    file.transferSyntaxUid === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN ? deliverableBytes(file.path, file.transferSyntaxUid) : asPart10(file.path);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return dcmjs.data.DicomMessage.readFile(buffer, {
    ignoreErrors: true,
    forceStoreRaw: true,
    ...(headerOnly ? { untilTag: PIXEL_DATA, includeUntilTagValue: false, stopOnGreaterTag: true } : {}),
  }).dict;
}

/**
 * The PDF in an Encapsulated PDF instance: Encapsulated Document (0042,0011) without the pad byte that
 * makes its length even (the Encapsulated Document Length says how long it is; older files lack it,
 * and then a trailing NUL is the pad). Null when the instance holds no PDF.
 */
export async function encapsulatedPdfOf(file: StoredFile): Promise<Buffer | null> {
  const dataset = await readDataset(file, false);
  if (textOf(dataset, '00080016') !== ENCAPSULATED_PDF) {
    return null;
  }
  const value = dataset[ENCAPSULATED_DOCUMENT]?.Value?.[0];
  if (!(value instanceof ArrayBuffer)) {
    return null;
  }
  const bytes = Buffer.from(value);
  const declared = Number(dataset[ENCAPSULATED_DOCUMENT_LENGTH]?.Value?.[0]);
  if (Number.isInteger(declared) && declared > 0 && declared <= bytes.length) {
    return bytes.subarray(0, declared);
  }
  return bytes.length > 0 && bytes[bytes.length - 1] === 0 ? bytes.subarray(0, bytes.length - 1) : bytes;
}

/**
 * What the viewer shows for a non-image instance: a structured report's content tree, an Encapsulated
 * PDF's facts (its bytes are fetched by URL), or a card saying what the object is.
 */
export async function readInstanceDocument(file: StoredFile, sopClassUid: string): Promise<InstanceDocument> {
  try {
    return await documentOf(file, sopClassUid);
  } catch (error) {
    return {
      kind: 'not-displayable',
      sopInstanceUid: '',
      sopClassUid,
      reason: `the stored file cannot be read: ${(error as Error).message}`.slice(0, 1000),
      header: documentHeaderOf({}),
    };
  }
}

async function documentOf(file: StoredFile, sopClassUid: string): Promise<InstanceDocument> {
  const kind = classifySopClass(sopClassUid);
  if (kind === 'structured-report') {
    return structuredReportOf(await readDataset(file, false));
  }
  if (sopClassUid === ENCAPSULATED_PDF) {
    const dataset = await readDataset(file, true);
    const pdf = await encapsulatedPdfOf(file);
    if (pdf) {
      return {
        kind: 'pdf',
        sopInstanceUid: textOf(dataset, '00080018'),
        sopClassUid,
        title: textOf(dataset, '00420010'),
        header: documentHeaderOf(dataset),
        bytes: pdf.length,
      };
    }
  }
  const dataset = await readDataset(file, true);
  return {
    kind: 'not-displayable',
    sopInstanceUid: textOf(dataset, '00080018'),
    sopClassUid,
    reason: sopClassUid === ENCAPSULATED_PDF ? 'the instance holds no PDF' : '',
    header: documentHeaderOf(dataset),
  };
}
