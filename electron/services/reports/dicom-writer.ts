import { createRequire } from 'node:module';
import type dcmjsDefault from 'dcmjs';
import { amendmentLabel, reportVersion } from '../../../shared/reports/export-versions.ts';
import type { ExportContext, ExportUids } from './exports.ts';
import { ReportError } from './report-store.ts';

/**
 * What Concord's DICOM exports share: the patient and study modules copied from the study, the new
 * series and instance, the equipment, and writing a dataset as a Part 10 file with dcmjs (UTF-8,
 * explicit VR little endian).
 */

/** Concord's Implementation Class UID (a UUID-derived 2.25 UID, fixed for the product). */
const IMPLEMENTATION_CLASS_UID = '2.25.249320058897843656443782795459627813157';
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

/** A value cut to what its VR holds: header values are copied as received and may be too long. */
/**
 * An identifying value (Patient ID, its issuer, the accession number) as written: never cut short, since
 * a shortened ID can be another patient's. One that DICOM cannot carry whole refuses the export.
 */
export function identifying(value: string, maxLength: number, what: string): string {
  if (value.length > maxLength) {
    throw new ReportError(
      'bad-request',
      `the ${what} has ${value.length} characters and DICOM allows ${maxLength}: a shortened ${what} could name another patient, so no DICOM export is written (the PDF and text exports carry it whole)`,
    );
  }
  return value;
}

export function fitted(value: string, maxLength: number): string {
  return value.length > maxLength ? value.slice(0, maxLength) : value;
}

/** A DA or TM value when it is well formed, else empty (both are type 2 in the modules that copy them). */
function validDate(value: string): string {
  return /^\d{8}$/.test(value) ? value : '';
}
function validTime(value: string): string {
  return /^\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?$/.test(value) ? value : '';
}

/** PN components are at most 64 characters a group. */
export function personName(value: string): string {
  return value
    .split('=')
    .slice(0, 3)
    .map((group) => fitted(group, 64))
    .join('=');
}

/** Content Date and Time in UTC (with Timezone Offset From UTC +0000), so exports do not depend on the machine's zone. */
export function dicomDateTime(date: Date): { date: string; time: string; dateTime: string } {
  const iso = date.toISOString();
  const day = iso.slice(0, 10).replace(/-/g, '');
  const time = iso.slice(11, 19).replace(/:/g, '');
  return { date: day, time, dateTime: `${day}${time}+0000` };
}

/**
 * The Series Description of a report's export: what it is and, after an addendum, which amendment, so
 * that a PACS list shows the newer object apart from the one it supersedes.
 */
export function reportSeriesDescription(report: ExportContext['report'], what = ''): string {
  const notes = [what, amendmentLabel(reportVersion(report))].filter(Boolean);
  return fitted(`Concord second-opinion report${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`, 64);
}

/** Patient, General Study, the new series' and instance's identity, equipment and SOP Common. */
export function commonModules(
  context: ExportContext,
  uids: ExportUids,
  series: { sopClassUid: string; modality: string; seriesNumber: number; seriesDescription: string },
): Record<string, unknown> {
  const { patient, study } = context;
  const content = dicomDateTime(context.generatedAt);
  const dataset: Record<string, unknown> = {
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: series.sopClassUid,
    SOPInstanceUID: uids.sopInstanceUid,
    InstanceCreationDate: content.date,
    InstanceCreationTime: content.time,
    TimezoneOffsetFromUTC: '+0000',
    StudyDate: validDate(study.studyDate),
    StudyTime: validTime(study.studyTime),
    ContentDate: content.date,
    ContentTime: content.time,
    AccessionNumber: identifying(study.accessionNumber, 16, 'accession number'),
    Modality: series.modality,
    Manufacturer: 'Concord',
    InstitutionName: fitted(study.institutionName, 64),
    ReferringPhysicianName: personName(study.referringPhysicianName),
    StudyDescription: fitted(study.studyDescription, 64),
    SeriesDescription: series.seriesDescription,
    ManufacturerModelName: 'Concord',
    PatientName: personName(patient.name),
    PatientID: identifying(patient.patientId, 64, 'Patient ID'),
    PatientBirthDate: validDate(patient.birthDate),
    PatientSex: ['M', 'F', 'O'].includes(patient.sex) ? patient.sex : '',
    StudyInstanceUID: uids.studyInstanceUid,
    SeriesInstanceUID: uids.seriesInstanceUid,
    StudyID: fitted(study.studyId, 16),
    SeriesNumber: series.seriesNumber,
    InstanceNumber: 1,
  };
  if (patient.issuer.trim()) {
    dataset.IssuerOfPatientID = identifying(patient.issuer, 64, 'issuer of the Patient ID');
  }
  return dataset;
}

const require = createRequire(import.meta.url);
let dcmjsModule: typeof dcmjsDefault | null = null;

/** dcmjs, loaded on first use (it is large) and synchronously: the export functions return their bytes. */
function dcmjs(): typeof dcmjsDefault {
  if (!dcmjsModule) {
    dcmjsModule = require('dcmjs') as typeof dcmjsDefault;
    dcmjsModule.log.setLevel('silent');
  }
  return dcmjsModule;
}

// C0 controls other than TAB, LF, FF and CR (which DICOM text allows), DEL, C1 controls, and ESC (no
// code extensions in UTF-8); and the bidirectional formatting characters that reorder what is shown.
// eslint-disable-next-line no-control-regex
const TEXT_CONTROLS = /[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Every text value of a dataset with control and bidi characters removed: what Concord writes comes
 * from headers and typing, both untrusted, and a viewer elsewhere must not be steered by it.
 */
export function withoutControls(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.replace(TEXT_CONTROLS, '');
  }
  if (Array.isArray(value)) {
    return value.map(withoutControls);
  }
  if (value !== null && typeof value === 'object' && !(value instanceof ArrayBuffer) && !ArrayBuffer.isView(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withoutControls(inner)]));
  }
  return value;
}

/** The dataset as a Part 10 file. */
export function writePart10(dataset: Record<string, unknown>): Buffer {
  const { DicomDict, DicomMetaDictionary } = dcmjs().data;
  const meta = DicomMetaDictionary.denaturalizeDataset({
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: 'CONCORD',
  });
  const dict = new DicomDict(meta);
  dict.dict = DicomMetaDictionary.denaturalizeDataset(withoutControls(dataset) as Record<string, unknown>);
  return Buffer.from(dict.write());
}
