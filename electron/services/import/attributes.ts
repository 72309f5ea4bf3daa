import { convertBytes } from 'dicom-character-set';
import type { DataSet, Element } from 'dicom-parser';
import type { DicomHeader } from './dicom-header.ts';

/**
 * The attributes Concord indexes, read from one instance as received. Text is decoded per Specific
 * Character Set and kept as untrusted plain text: clipped, never interpreted.
 */
export interface CodedEntry {
  codeValue: string;
  codingSchemeDesignator: string;
  codeMeaning: string;
}

export interface ViewCode extends CodedEntry {
  modifiers: CodedEntry[];
}

export interface InstanceAttributes {
  specificCharacterSet: string;
  // patient
  patientName: string;
  patientId: string;
  issuerOfPatientId: string;
  /** Other Patient IDs (0010,1000) and those of Other Patient IDs Sequence (0010,1002), as received. */
  otherPatientIds: string[];
  patientBirthDate: string;
  patientSex: string;
  // study
  studyInstanceUid: string;
  studyDate: string;
  studyTime: string;
  accessionNumber: string;
  issuerOfAccessionNumber: string;
  studyDescription: string;
  studyId: string;
  referringPhysicianName: string;
  institutionName: string;
  // series
  seriesInstanceUid: string;
  modality: string;
  seriesNumber: number | null;
  seriesDescription: string;
  bodyPartExamined: string;
  laterality: string;
  manufacturer: string;
  manufacturerModelName: string;
  // instance
  sopClassUid: string;
  sopInstanceUid: string;
  instanceNumber: number | null;
  imageType: string;
  imageLaterality: string;
  frameLaterality: string;
  viewPosition: string;
  viewCodes: ViewCode[];
  presentationIntentType: string;
  patientOrientation: string;
  breastImplantPresent: string;
  partialView: string;
  rows: number | null;
  columns: number | null;
  numberOfFrames: number;
  samplesPerPixel: number | null;
  photometricInterpretation: string;
  bitsAllocated: number | null;
  bitsStored: number | null;
  pixelRepresentation: number | null;
  pixelSpacing: number[] | null;
  imagerPixelSpacing: number[] | null;
  estimatedRadiographicMagnificationFactor: number | null;
  pixelSpacingCalibrationType: string;
  nominalScannedPixelSpacing: number[] | null;
  frameOfReferenceUid: string;
  imagePositionPatient: number[] | null;
  imageOrientationPatient: number[] | null;
  sliceThickness: number | null;
  acquisitionDate: string;
  acquisitionTime: string;
  acquisitionDateTime: string;
  contentDate: string;
  contentTime: string;
  documentTitle: string;
  // MR series roles (hanging protocols)
  protocolName: string;
  temporalPositionIdentifier: number | null;
  numberOfTemporalPositions: number | null;
  triggerTime: number | null;
  contrastBolusAgent: string;
  diffusionBValue: number | null;
  scanningSequence: string;
  sequenceName: string;
}

const MAX_TEXT = 1024;
const TEXT_VRS = new Set(['SH', 'LO', 'ST', 'LT', 'PN', 'UC', 'UT']);

/** Strips what no index value should hold: NULs, padding; clips very long text. */
function clean(value: string): string {
  const trimmed = value.replace(/\0/g, '').replace(/[ ]+$/, '').replace(/^ +/, '');
  return trimmed.length > MAX_TEXT ? trimmed.slice(0, MAX_TEXT) : trimmed;
}

class Reader {
  private readonly dataSet: DataSet;
  private readonly charset: string;

  constructor(dataSet: DataSet, charset: string) {
    this.dataSet = dataSet;
    this.charset = charset;
  }

  private element(tag: string): Element | undefined {
    const element = this.dataSet.elements[tag];
    if (!element || element.length === 0 || element.length === 0xffffffff) {
      return undefined;
    }
    return element;
  }

  /** Text decoded with the Specific Character Set (for SH, LO, ST, LT, PN, UC, UT). */
  text(tag: string, vr: string): string {
    const element = this.element(tag);
    if (!element) {
      return '';
    }
    const bytes = this.dataSet.byteArray.subarray(element.dataOffset, element.dataOffset + element.length);
    if (!TEXT_VRS.has(vr) || !this.charset) {
      return clean(Buffer.from(bytes).toString('latin1'));
    }
    try {
      return clean(convertBytes(this.charset, bytes, { vr }));
    } catch {
      // An unknown or broken character set: fall back to the default repertoire, keep the value.
      return clean(Buffer.from(bytes).toString('latin1'));
    }
  }

  /** A code string or UID (default repertoire). */
  code(tag: string): string {
    const element = this.element(tag);
    if (!element) {
      return '';
    }
    const bytes = this.dataSet.byteArray.subarray(element.dataOffset, element.dataOffset + element.length);
    return clean(Buffer.from(bytes).toString('latin1'));
  }

  numbers(tag: string): number[] | null {
    const raw = this.code(tag);
    if (!raw) {
      return null;
    }
    const values = raw.split('\\').map((part) => Number(part.trim()));
    return values.every((v) => Number.isFinite(v)) ? values : null;
  }

  number(tag: string): number | null {
    const values = this.numbers(tag);
    return values && values.length > 0 ? (values[0] ?? null) : null;
  }

  /** US value, guarded against a missing or short element. */
  uint16(tag: string): number | null {
    const element = this.element(tag);
    if (!element || element.length < 2) {
      return null;
    }
    const value = this.dataSet.uint16(tag);
    return value === undefined ? null : value;
  }

  items(tag: string): Reader[] {
    const element = this.dataSet.elements[tag];
    if (!element?.items) {
      return [];
    }
    return element.items.flatMap((item) => (item.dataSet ? [new Reader(item.dataSet, this.charset)] : []));
  }

  codedEntry(): CodedEntry {
    return {
      codeValue: this.text('x00080100', 'SH'),
      codingSchemeDesignator: this.text('x00080102', 'SH'),
      codeMeaning: this.text('x00080104', 'LO'),
    };
  }
}

function positiveInteger(value: number | null): number | null {
  return value !== null && Number.isInteger(value) && value > 0 ? value : null;
}

/** First value found in the per-frame or shared functional groups (Enhanced objects). */
function fromFunctionalGroups<T>(reader: Reader, sequence: string, read: (item: Reader) => T | null): T | null {
  for (const groupTag of ['x52009230', 'x52009229']) {
    const groups = reader.items(groupTag);
    const first = groups[0];
    if (!first) {
      continue;
    }
    for (const macro of first.items(sequence)) {
      const value = read(macro);
      if (value !== null) {
        return value;
      }
    }
  }
  return null;
}

/** Another facility's IDs for the same patient, from the retired multi-valued element and the sequence that replaced it. */
function otherPatientIdsOf(r: Reader): string[] {
  const listed = r.text('x00101000', 'LO').split('\\');
  const fromSequence = r.items('x00101002').map((item) => item.text('x00100020', 'LO'));
  return [...new Set([...listed, ...fromSequence].map((id) => id.trim()).filter(Boolean))];
}

export function readAttributes(header: DicomHeader): InstanceAttributes {
  const dataSet = header.dataSet;
  const charset = new Reader(dataSet, '').code('x00080005');
  const r = new Reader(dataSet, charset);

  const viewCodes: ViewCode[] = r.items('x00540220').map((item) => ({
    ...item.codedEntry(),
    modifiers: item.items('x00540222').map((modifier) => modifier.codedEntry()),
  }));

  const issuerOfAccession = r.items('x00080051')[0]?.text('x00400031', 'UT') ?? '';
  const frames = positiveInteger(r.number('x00280008'));

  return {
    specificCharacterSet: charset,
    patientName: r.text('x00100010', 'PN'),
    patientId: r.text('x00100020', 'LO'),
    issuerOfPatientId: r.text('x00100021', 'LO'),
    otherPatientIds: otherPatientIdsOf(r),
    patientBirthDate: r.code('x00100030'),
    patientSex: r.code('x00100040'),
    studyInstanceUid: r.code('x0020000d'),
    studyDate: r.code('x00080020'),
    studyTime: r.code('x00080030'),
    accessionNumber: r.text('x00080050', 'SH'),
    issuerOfAccessionNumber: issuerOfAccession,
    studyDescription: r.text('x00081030', 'LO'),
    studyId: r.text('x00200010', 'SH'),
    referringPhysicianName: r.text('x00080090', 'PN'),
    institutionName: r.text('x00080080', 'LO'),
    seriesInstanceUid: r.code('x0020000e'),
    modality: r.code('x00080060'),
    seriesNumber: r.number('x00200011'),
    seriesDescription: r.text('x0008103e', 'LO'),
    bodyPartExamined: r.code('x00180015'),
    laterality: r.code('x00200060'),
    manufacturer: r.text('x00080070', 'LO'),
    manufacturerModelName: r.text('x00081090', 'LO'),
    sopClassUid: r.code('x00080016') || header.meta.mediaStorageSopClassUid || '',
    sopInstanceUid: r.code('x00080018'),
    instanceNumber: r.number('x00200013'),
    imageType: r.code('x00080008'),
    imageLaterality: r.code('x00200062'),
    frameLaterality:
      fromFunctionalGroups(r, 'x00209071', (item) => item.code('x00209072') || null) ?? '',
    viewPosition: r.code('x00185101'),
    viewCodes,
    presentationIntentType: r.code('x00080068'),
    patientOrientation: r.code('x00200020'),
    breastImplantPresent: r.code('x00281300'),
    partialView: r.code('x00281350'),
    rows: r.uint16('x00280010'),
    columns: r.uint16('x00280011'),
    numberOfFrames: frames ?? 1,
    samplesPerPixel: r.uint16('x00280002'),
    photometricInterpretation: r.code('x00280004'),
    bitsAllocated: r.uint16('x00280100'),
    bitsStored: r.uint16('x00280101'),
    pixelRepresentation: r.uint16('x00280103'),
    pixelSpacing:
      r.numbers('x00280030') ?? fromFunctionalGroups(r, 'x00289110', (item) => item.numbers('x00280030')),
    imagerPixelSpacing: r.numbers('x00181164'),
    estimatedRadiographicMagnificationFactor: r.number('x00181114'),
    pixelSpacingCalibrationType: r.code('x00280a02'),
    nominalScannedPixelSpacing: r.numbers('x00182010'),
    frameOfReferenceUid: r.code('x00200052'),
    imagePositionPatient:
      r.numbers('x00200032') ?? fromFunctionalGroups(r, 'x00209113', (item) => item.numbers('x00200032')),
    imageOrientationPatient:
      r.numbers('x00200037') ?? fromFunctionalGroups(r, 'x00209116', (item) => item.numbers('x00200037')),
    sliceThickness:
      r.number('x00180050') ?? fromFunctionalGroups(r, 'x00289110', (item) => item.number('x00180050')),
    acquisitionDate: r.code('x00080022'),
    acquisitionTime: r.code('x00080032'),
    acquisitionDateTime: r.code('x0008002a'),
    contentDate: r.code('x00080023'),
    contentTime: r.code('x00080033'),
    documentTitle: r.text('x00420010', 'ST') || (r.items('x0040a043')[0]?.codedEntry().codeMeaning ?? ''),
    protocolName: r.text('x00181030', 'LO'),
    temporalPositionIdentifier: r.number('x00200100'),
    numberOfTemporalPositions: r.number('x00200105'),
    triggerTime: r.number('x00181060'),
    contrastBolusAgent: r.text('x00180010', 'LO'),
    diffusionBValue:
      r.number('x00189087') ?? fromFunctionalGroups(r, 'x00189117', (item) => item.number('x00189087')),
    scanningSequence: r.code('x00180020'),
    sequenceName: r.text('x00180024', 'SH'),
  };
}
