// Writing Part-10 files for the synthetic studies: seeded UIDs, element builders and the study-level
// elements every object repeats.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import dcmjs from 'dcmjs';
import type { DicomElement } from 'dcmjs';
import { EXPLICIT_VR_LITTLE_ENDIAN } from './hanging-manifest.ts';
import type { FixtureSet, FixtureStudy, PatientIdentity } from './hanging-manifest.ts';

/** Every synthetic image stores 12 bits in 16. */
export const MAX_12_BIT = 4095;
const IMPLEMENTATION_CLASS_UID = '2.25.208452139176318342061263045121796391297';

/** A UID derived from the seed and a name: 2.25. followed by a 128-bit decimal (at most 44 characters). */
export function seededUid(seed: string, ...name: (string | number)[]): string {
  const digest = createHash('sha256').update([seed, ...name].join('|')).digest('hex').slice(0, 32);
  return `2.25.${BigInt(`0x${digest}`).toString()}`;
}

/** A deterministic number in [0, 1) from the seed and a name. */
export function seededFraction(seed: string, ...name: (string | number)[]): number {
  const digest = createHash('sha256').update([seed, ...name].join('|')).digest();
  return digest.readUInt32BE(0) / 0x1_0000_0000;
}

export type Dataset = Record<string, DicomElement>;

export function el(vr: string, ...values: unknown[]): DicomElement {
  return { vr, Value: values };
}
export function personName(name: string): DicomElement {
  return { vr: 'PN', Value: name ? [{ Alphabetic: name }] : [] };
}
export function sequence(...items: Dataset[]): DicomElement {
  return { vr: 'SQ', Value: items };
}

export interface Code {
  value: string;
  scheme: string;
  meaning: string;
}
export function codeItem(code: Code): Dataset {
  return {
    '00080100': el('SH', code.value),
    '00080102': el('SH', code.scheme),
    '00080104': el('LO', code.meaning),
  };
}

function fileMeta(sopClassUid: string, sopInstanceUid: string, transferSyntaxUid: string): Dataset {
  return {
    '00020001': { vr: 'OB', Value: [new Uint8Array([0, 1]).buffer] },
    '00020002': el('UI', sopClassUid),
    '00020003': el('UI', sopInstanceUid),
    '00020010': el('UI', transferSyntaxUid),
    '00020012': el('UI', IMPLEMENTATION_CLASS_UID),
    '00020013': el('SH', 'CONCORD_FIXTURE'),
  };
}

export function writePart10(path: string, dataset: Dataset): void {
  const sopClassUid = String(dataset['00080016']?.Value?.[0]);
  const sopInstanceUid = String(dataset['00080018']?.Value?.[0]);
  const dict = new dcmjs.data.DicomDict(fileMeta(sopClassUid, sopInstanceUid, EXPLICIT_VR_LITTLE_ENDIAN));
  dict.dict = dataset;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, Buffer.from(dict.write()));
}

export function pixelData(pixels: Uint16Array): DicomElement {
  return { vr: 'OW', Value: [pixels.buffer.slice(pixels.byteOffset, pixels.byteOffset + pixels.byteLength)] };
}

export function ds(value: number): string {
  // Decimal Strings of at most 16 characters, written the same way every time.
  return String(Number(value.toFixed(6)));
}

/** What every study plan gives, whatever its modality. */
export interface StudyPlan {
  key: string;
  set: FixtureSet;
  patient: PatientIdentity;
  patientId: string;
  facility: string;
  studyDate: string;
  studyTime: string;
  accession: string;
  purpose: string;
}

export function commonStudyElements(seed: string, study: StudyPlan, description: string): Dataset {
  return {
    '00080005': el('CS', 'ISO_IR 100'),
    '00080020': el('DA', study.studyDate),
    '00080030': el('TM', study.studyTime),
    '00080050': el('SH', study.accession),
    '00080080': el('LO', study.facility),
    '00080090': personName(''),
    '00081030': el('LO', description),
    '00100010': personName(study.patient.name),
    '00100020': el('LO', study.patientId),
    '00100030': el('DA', study.patient.birthDate),
    '00100040': el('CS', study.patient.sex),
    '0020000D': el('UI', seededUid(seed, study.key, 'study')),
    '00200010': el('SH', study.accession.slice(-8)),
  };
}

export function studyRecord(seed: string, study: StudyPlan, description: string, extra: Pick<FixtureStudy, 'lesion' | 'frameOfReferenceUid'> = { lesion: null, frameOfReferenceUid: null }): FixtureStudy {
  return {
    key: study.key,
    set: study.set,
    patient: study.patient,
    patientId: study.patientId,
    facility: study.facility,
    studyDate: study.studyDate,
    studyInstanceUid: seededUid(seed, study.key, 'study'),
    description,
    purpose: study.purpose,
    ...extra,
  };
}
