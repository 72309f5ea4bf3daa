// Synthetic studies for the hanging-protocol tests: Part-10 files written with dcmjs, shaped like real
// vendor output (mammography screening series with priors, the header gaps outside CDs show, a breast MRI
// pair with real geometry, and big JPEG 2000 images for the benchmark). Deterministic: the same seed
// writes byte-identical files; every UID is derived from the seed (2.25.<hash>). The manifest that
// generateHangingFixtures returns (and writes as manifest.json) names every file and what it shows, so
// tests select their expected images through it. Runs under plain Node (type stripping) and Vitest:
//   node test/support/hanging-fixtures.ts --out DIR [--set screening|variants|mri|large]...
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import dcmjs from 'dcmjs';
import type { DicomElement } from 'dcmjs';
import { drawText } from './hanging-font.ts';

export const FIXTURE_SETS = ['screening', 'variants', 'mri', 'large'] as const;
export type FixtureSet = (typeof FIXTURE_SETS)[number];
/** What `--set` gives when none is named: everything but the big benchmark images. */
export const DEFAULT_SETS: FixtureSet[] = ['screening', 'variants', 'mri'];
export const DEFAULT_SEED = 'concord-hanging-v1';

export const SOP_CLASS = {
  mammographyForPresentation: '1.2.840.10008.5.1.4.1.1.1.2',
  mammographyForProcessing: '1.2.840.10008.5.1.4.1.1.1.2.1',
  multiframeGrayscaleWordSecondaryCapture: '1.2.840.10008.5.1.4.1.1.7.3',
  mrImage: '1.2.840.10008.5.1.4.1.1.4',
} as const;
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
const JPEG_2000 = '1.2.840.10008.1.2.4.91';
const IMPLEMENTATION_CLASS_UID = '2.25.208452139176318342061263045121796391297';

export type Laterality = 'R' | 'L';
export type MammoView = 'CC' | 'MLO' | 'XCCL';
export type ViewModifier = 'spot' | 'magnification' | 'implant-displaced';
export type FixtureKind = 'mammogram' | 'projection-set' | 'mr';
export type MrRole = 't2' | 't1-pre' | 'dce' | 'subtraction' | 'mip';

export interface PatientIdentity {
  name: string;
  birthDate: string;
  sex: 'F' | 'M' | 'O';
}

export interface FixtureMrInfo {
  role: MrRole;
  /** DCE phase: 0 = pre-contrast, 1..3 = post; for subtraction and MIP the post phase they come from. */
  phase: number | null;
  plane: 'axial';
  /** Image Position (Patient) z of this slice (mm, in its study's Frame of Reference); null for the MIP. */
  slicePosition: number | null;
  sliceIndex: number | null;
  frameOfReferenceUid: string;
}

export interface FixtureFile {
  /** Relative to the output folder, '/'-separated. */
  path: string;
  set: FixtureSet;
  /** Key of the study in manifest.studies. */
  study: string;
  patientId: string;
  facility: string;
  studyDate: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  sopClassUid: string;
  transferSyntaxUid: string;
  modality: string;
  seriesNumber: number;
  seriesDescription: string;
  instanceNumber: number;
  kind: FixtureKind;
  rows: number;
  columns: number;
  frames: number;
  /** The breast imaged (mammography); null for MR. */
  laterality: Laterality | null;
  view: MammoView | null;
  modifiers: ViewModifier[];
  presentationIntent: 'FOR PRESENTATION' | 'FOR PROCESSING' | null;
  /** Patient Orientation (0020,0020) as stored ("P\\L"); null when the file has none. */
  patientOrientation: string | null;
  /** Which edge of the stored pixels the chest wall touches; null for MR. */
  chestWallSide: 'left' | 'right' | null;
  /** Detector pixel size (mm); null for MR. */
  imagerPixelSpacingMm: number | null;
  acquisitionTime: string;
  /** What this file leaves out or does differently from a complete header (variants), for the tests to name. */
  headerGaps: string[];
  /** The burned-in marker text, when there is one. */
  marker: string | null;
  /** Round masses drawn (stored-pixel centre row/column and radius), for pixel checks. */
  masses: { row: number; column: number; radius: number }[];
  mr: FixtureMrInfo | null;
}

export interface FixtureStudy {
  key: string;
  set: FixtureSet;
  patient: PatientIdentity;
  patientId: string;
  facility: string;
  studyDate: string;
  studyInstanceUid: string;
  description: string;
  /** What this study is for (variants: the gap it shows). */
  purpose: string;
  /** MR: where the phantom lesion's centre is, in this study's patient coordinates (mm). */
  lesion: { x: number; y: number; z: number; radiusMm: number } | null;
  frameOfReferenceUid: string | null;
}

export interface HangingManifest {
  seed: string;
  sets: FixtureSet[];
  studies: FixtureStudy[];
  files: FixtureFile[];
}

// ---------------------------------------------------------------------------------------------------
// UIDs and elements

/** A UID derived from the seed and a name: 2.25. followed by a 128-bit decimal (at most 44 characters). */
export function seededUid(seed: string, ...name: (string | number)[]): string {
  const digest = createHash('sha256').update([seed, ...name].join('|')).digest('hex').slice(0, 32);
  return `2.25.${BigInt(`0x${digest}`).toString()}`;
}

/** A deterministic number in [0, 1) from the seed and a name. */
function seededFraction(seed: string, ...name: (string | number)[]): number {
  const digest = createHash('sha256').update([seed, ...name].join('|')).digest();
  return digest.readUInt32BE(0) / 0x1_0000_0000;
}

type Dataset = Record<string, DicomElement>;

function el(vr: string, ...values: unknown[]): DicomElement {
  return { vr, Value: values };
}
function personName(name: string): DicomElement {
  return { vr: 'PN', Value: name ? [{ Alphabetic: name }] : [] };
}
function sequence(...items: Dataset[]): DicomElement {
  return { vr: 'SQ', Value: items };
}

interface Code {
  value: string;
  scheme: string;
  meaning: string;
}
function codeItem(code: Code): Dataset {
  return {
    '00080100': el('SH', code.value),
    '00080102': el('SH', code.scheme),
    '00080104': el('LO', code.meaning),
  };
}

// View codes as PS3.16 CID 4014/4015 give them; the SRT ones are what older units still write.
const VIEW_CODES: Record<'SCT' | 'SRT', Record<MammoView, Code>> = {
  SCT: {
    CC: { value: '399162004', scheme: 'SCT', meaning: 'cranio-caudal' },
    MLO: { value: '399368009', scheme: 'SCT', meaning: 'medio-lateral oblique' },
    XCCL: { value: '399099002', scheme: 'SCT', meaning: 'cranio-caudal exaggerated laterally' },
  },
  SRT: {
    CC: { value: 'R-10242', scheme: 'SRT', meaning: 'cranio-caudal' },
    MLO: { value: 'R-10226', scheme: 'SRT', meaning: 'medio-lateral oblique' },
    XCCL: { value: 'R-1024A', scheme: 'SRT', meaning: 'cranio-caudal exaggerated laterally' },
  },
};
const MODIFIER_CODES: Record<ViewModifier, Code> = {
  spot: { value: '399055006', scheme: 'SCT', meaning: 'spot compression' },
  magnification: { value: '399163009', scheme: 'SCT', meaning: 'magnification' },
  // No SNOMED CT code for this one could be verified here; the SRT code is what PS3.16 CID 4015 listed.
  'implant-displaced': { value: 'R-102D5', scheme: 'SRT', meaning: 'implant displaced' },
};
const MODIFIER_MARKS: Record<ViewModifier, string> = { spot: 'S', magnification: 'M', 'implant-displaced': 'ID' };
const BREAST: Code = { value: '76752008', scheme: 'SCT', meaning: 'Breast' };

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

function writePart10(path: string, dataset: Dataset): void {
  const sopClassUid = String(dataset['00080016']?.Value?.[0]);
  const sopInstanceUid = String(dataset['00080018']?.Value?.[0]);
  const dict = new dcmjs.data.DicomDict(fileMeta(sopClassUid, sopInstanceUid, EXPLICIT_VR_LITTLE_ENDIAN));
  dict.dict = dataset;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, Buffer.from(dict.write()));
}

function pixelData(pixels: Uint16Array): DicomElement {
  return { vr: 'OW', Value: [pixels.buffer.slice(pixels.byteOffset, pixels.byteOffset + pixels.byteLength)] };
}

function ds(value: number): string {
  // Decimal Strings of at most 16 characters, written the same way every time.
  return String(Number(value.toFixed(6)));
}

// ---------------------------------------------------------------------------------------------------
// Mammography pixels

const AIR = 60;
const MAX_12_BIT = 4095;

/** Which way a view hangs (PS: domain b.2): the Patient Orientation a correctly hung image shows. */
export function targetOrientation(laterality: Laterality, view: MammoView): string {
  const cc = view !== 'MLO';
  if (laterality === 'R') {
    return cc ? 'P\\L' : 'P\\F';
  }
  return cc ? 'A\\R' : 'A\\F';
}

/** The stored orientation with rows and/or columns reversed, as a unit that stores the other way writes it. */
function oppositeLetter(letter: string): string {
  const opposite: Record<string, string> = { A: 'P', P: 'A', L: 'R', R: 'L', H: 'F', F: 'H' };
  return [...letter].map((c) => opposite[c] ?? c).join('');
}

export function mirroredOrientation(orientation: string, rows: boolean, columns: boolean): string {
  const [row = '', column = ''] = orientation.split('\\');
  return `${rows ? oppositeLetter(row) : row}\\${columns ? oppositeLetter(column) : column}`;
}

interface MammoPixelSpec {
  rows: number;
  columns: number;
  view: MammoView;
  /** Stored layout: which edge the chest wall touches, and whether the axilla/lateral side is at the bottom. */
  chestWallSide: 'left' | 'right';
  upsideDown: boolean;
  marker: string;
  /** Names the image for its texture and masses. */
  identity: string;
  seed: string;
  /** Pixel value scale, so For Processing images differ in their values as raw detector data does. */
  gain: number;
}

interface MammoPixels {
  pixels: Uint16Array;
  masses: { row: number; column: number; radius: number }[];
}

/**
 * The breast as the detector sees it, drawn in a canonical frame (chest wall at u = 0, lateral/axilla at
 * v = 0) and placed as the stored orientation implies: a half-ellipse for CC, an oblique shape with the
 * pectoral muscle triangle for MLO; texture and a few masses that differ per image; the marker burned in
 * afterwards in stored coordinates (upper corner away from the chest wall), as real units do.
 */
function renderMammogram(spec: MammoPixelSpec): MammoPixels {
  const { rows, columns, seed, identity } = spec;
  const pixels = new Uint16Array(rows * columns);
  const phase = [0, 1, 2, 3].map((i) => seededFraction(seed, identity, 'phase', i) * Math.PI * 2);
  const massCount = 1 + Math.floor(seededFraction(seed, identity, 'mass-count') * 4);
  const canonicalMasses = Array.from({ length: massCount }, (_, i) => ({
    u: 0.12 + seededFraction(seed, identity, 'mass-u', i) * 0.4,
    v: 0.3 + seededFraction(seed, identity, 'mass-v', i) * 0.4,
    radius: 0.018 + seededFraction(seed, identity, 'mass-r', i) * 0.025,
  }));
  const mlo = spec.view === 'MLO';
  for (let row = 0; row < rows; row += 1) {
    const storedV = row / (rows - 1);
    const v = spec.upsideDown ? 1 - storedV : storedV;
    for (let column = 0; column < columns; column += 1) {
      const storedU = column / (columns - 1);
      const u = spec.chestWallSide === 'left' ? storedU : 1 - storedU;
      // Breast outline: the nipple-to-chest-wall depth is in u (0 at the chest wall).
      const centreV = mlo ? 0.58 : 0.5;
      const halfHeight = mlo ? 0.5 : 0.44;
      const depth = mlo ? 0.7 - 0.15 * v : 0.72;
      const inBreast = (u / depth) ** 2 + ((v - centreV) / halfHeight) ** 2 <= 1;
      const inPectoral = mlo && u < 0.42 * (1 - v / 0.62);
      let value = AIR;
      if (inPectoral) {
        value = 2900 + 120 * Math.sin(v * 40 + phase[0]!);
      } else if (inBreast) {
        const fibro = Math.sin(u * 23 + phase[1]!) * Math.sin(v * 17 + phase[2]!) + 0.5 * Math.sin((u + v) * 51 + phase[3]!);
        // Denser towards the chest wall, fading to the skin line.
        value = 1500 + 500 * (1 - u) + 260 * fibro;
      }
      for (const mass of canonicalMasses) {
        const du = (u - mass.u) * columns;
        const dv = (v - mass.v) * rows;
        if (inBreast && du * du + dv * dv <= (mass.radius * columns) ** 2) {
          value = 3500;
        }
      }
      pixels[row * columns + column] = Math.min(MAX_12_BIT, Math.round(value * spec.gain));
    }
  }
  const markerScale = Math.max(2, Math.round(columns / 128));
  const margin = Math.round(columns * 0.04);
  drawText(pixels, columns, rows, spec.marker, {
    top: margin,
    side: spec.chestWallSide === 'left' ? 'right' : 'left',
    margin,
    scale: markerScale,
    value: MAX_12_BIT,
  });
  const masses = canonicalMasses.map((mass) => {
    const storedV = spec.upsideDown ? 1 - mass.v : mass.v;
    const storedU = spec.chestWallSide === 'left' ? mass.u : 1 - mass.u;
    return {
      row: Math.round(storedV * (rows - 1)),
      column: Math.round(storedU * (columns - 1)),
      radius: Math.round(mass.radius * columns),
    };
  });
  return { pixels, masses };
}

// ---------------------------------------------------------------------------------------------------
// Mammography datasets

interface MammoStudyPlan {
  key: string;
  set: FixtureSet;
  patient: PatientIdentity;
  patientId: string;
  facility: string;
  studyDate: string;
  studyTime: string;
  manufacturer: string;
  model: string;
  detectorSpacingMm: number;
  magnification: number;
  accession: string;
  purpose: string;
}

interface MammoImagePlan {
  laterality: Laterality;
  view: MammoView;
  modifiers?: ViewModifier[];
  /** Stored Patient Orientation; null leaves it out. Default: the target orientation. */
  orientation?: string | null;
  acquisitionTime: string;
  codes?: 'SCT' | 'SRT' | 'none';
  imageLaterality?: boolean;
  seriesLaterality?: boolean;
  viewPosition?: boolean;
  forProcessing?: boolean;
  /** Series this image belongs to (images with the same key share a series). */
  series: string;
  seriesNumber: number;
  seriesDescription: string;
  headerGaps?: string[];
  implant?: boolean;
}

const MAMMO_ROWS = 640;
const MAMMO_COLUMNS = 512;

function commonStudyElements(seed: string, study: MammoStudyPlan | MrStudyPlan, description: string): Dataset {
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

function markerText(image: MammoImagePlan): string {
  const modifiers = (image.modifiers ?? []).map((m) => MODIFIER_MARKS[m]);
  return [`${image.laterality}${image.view}`, ...modifiers].join(' ');
}

function mammogramDataset(seed: string, study: MammoStudyPlan, image: MammoImagePlan, instanceNumber: number, pixels: Uint16Array, rows: number, columns: number): Dataset {
  const forProcessing = image.forProcessing === true;
  const sopInstanceUid = seededUid(seed, study.key, image.series, instanceNumber, 'sop');
  const orientation = image.orientation === undefined ? targetOrientation(image.laterality, image.view) : image.orientation;
  const codes = image.codes ?? 'SCT';
  const dataset: Dataset = {
    ...commonStudyElements(seed, study, 'MAMMOGRAM SCREENING BILATERAL'),
    '00080008': el('CS', 'ORIGINAL', 'PRIMARY'),
    '00080016': el('UI', forProcessing ? SOP_CLASS.mammographyForProcessing : SOP_CLASS.mammographyForPresentation),
    '00080018': el('UI', sopInstanceUid),
    '00080021': el('DA', study.studyDate),
    '00080022': el('DA', study.studyDate),
    '00080023': el('DA', study.studyDate),
    '00080031': el('TM', study.studyTime),
    '00080032': el('TM', image.acquisitionTime),
    '00080033': el('TM', image.acquisitionTime),
    '0008002A': el('DT', `${study.studyDate}${image.acquisitionTime}`),
    '00080060': el('CS', 'MG'),
    '00080068': el('CS', forProcessing ? 'FOR PROCESSING' : 'FOR PRESENTATION'),
    '00080070': el('LO', study.manufacturer),
    '00081010': el('SH', 'MAMMO1'),
    '0008103E': el('LO', image.seriesDescription),
    '00081090': el('LO', study.model),
    '00082218': sequence(codeItem(BREAST)),
    '00180015': el('CS', 'BREAST'),
    '00180060': el('DS', ds(28)),
    '00181000': el('LO', `${study.model.replace(/\W/g, '').slice(0, 8)}0042`),
    '00181020': el('LO', '1.4.2'),
    '00181110': el('DS', ds(660)),
    '00181111': el('DS', ds(Number((660 / study.magnification).toFixed(1)))),
    '00181114': el('DS', ds(study.magnification)),
    '00181150': el('IS', '950'),
    '00181151': el('IS', '110'),
    '00181152': el('IS', '104'),
    '00181164': el('DS', ds(study.detectorSpacingMm), ds(study.detectorSpacingMm)),
    '00181190': el('DS', ds(0.3)),
    '00181191': el('CS', 'MOLYBDENUM'),
    '001811A0': el('DS', ds(52)),
    '001811A2': el('DS', ds(110)),
    '00181508': el('CS', 'MAMMOGRAPHIC'),
    '00181510': el('DS', ds(0)),
    '00187004': el('CS', 'DIRECT'),
    '00187050': el('CS', 'MOLYBDENUM'),
    '0018700A': el('SH', 'DET-0042'),
    '00200011': el('IS', String(image.seriesNumber)),
    '00200013': el('IS', String(instanceNumber)),
    '00280002': el('US', 1),
    '00280004': el('CS', 'MONOCHROME2'),
    '00280010': el('US', rows),
    '00280011': el('US', columns),
    '00280100': el('US', 16),
    '00280101': el('US', 12),
    '00280102': el('US', 11),
    '00280103': el('US', 0),
    '00281040': el('CS', 'LOG'),
    '00281041': el('SS', 1),
    '00281052': el('DS', '0'),
    '00281053': el('DS', '1'),
    '00281054': el('LO', 'US'),
    '00282110': el('CS', '00'),
    '00400318': el('CS', 'BREAST'),
    '00400555': sequence(),
    '20500020': el('CS', 'IDENTITY'),
    '00280301': el('CS', 'NO'),
    '00281300': el('CS', image.implant ? 'YES' : 'NO'),
    '0020000E': el('UI', seededUid(seed, study.key, image.series, 'series')),
  };
  if (!forProcessing) {
    dataset['00281050'] = el('DS', '2048');
    dataset['00281051'] = el('DS', '4096');
    dataset['00281055'] = el('LO', 'NORMAL');
  }
  if (orientation !== null) {
    dataset['00200020'] = el('CS', ...orientation.split('\\'));
  }
  if (image.imageLaterality !== false) {
    dataset['00200062'] = el('CS', image.laterality);
  }
  if (image.seriesLaterality === true) {
    dataset['00200060'] = el('CS', image.laterality);
  }
  if (image.viewPosition !== false) {
    dataset['00185101'] = el('CS', image.view);
  }
  if (codes !== 'none') {
    const viewItem: Dataset = {
      ...codeItem(VIEW_CODES[codes][image.view]),
      // Vendors write the modifier sequence even when it is empty (Type 2).
      '00540222': sequence(...(image.modifiers ?? []).map((m) => codeItem(MODIFIER_CODES[m]))),
    };
    dataset['00540220'] = sequence(viewItem);
  }
  dataset['7FE00010'] = pixelData(pixels);
  return dataset;
}

function studyRecord(seed: string, study: MammoStudyPlan | MrStudyPlan, description: string, lesion: FixtureStudy['lesion'] = null): FixtureStudy {
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
    lesion,
    frameOfReferenceUid: 'frameShift' in study ? seededUid(seed, study.key, 'frame-of-reference') : null,
  };
}

function writeMammoStudy(out: string, seed: string, study: MammoStudyPlan, images: MammoImagePlan[], sizeOverride?: { rows: number; columns: number }): { study: FixtureStudy; files: FixtureFile[] } {
  const files: FixtureFile[] = [];
  const rows = sizeOverride?.rows ?? MAMMO_ROWS;
  const columns = sizeOverride?.columns ?? MAMMO_COLUMNS;
  const perSeries = new Map<string, number>();
  for (const image of images) {
    const instanceNumber = (perSeries.get(image.series) ?? 0) + 1;
    perSeries.set(image.series, instanceNumber);
    const target = targetOrientation(image.laterality, image.view);
    const stored = image.orientation === undefined ? target : image.orientation;
    const [, targetColumn] = target.split('\\');
    // Without a stored orientation the unit still lays the breast out as the target does.
    const [storedRow, storedColumn] = (stored ?? target).split('\\');
    // The chest wall is where the row direction points posterior ("P" = towards the last column).
    const chestWallSide = storedRow === 'P' ? 'right' : 'left';
    const upsideDown = storedColumn !== targetColumn;
    const marker = markerText(image);
    const { pixels, masses } = renderMammogram({
      rows,
      columns,
      view: image.view,
      chestWallSide,
      upsideDown,
      marker,
      identity: `${study.key}|${image.series}|${instanceNumber}|${image.laterality}${image.view}`,
      seed,
      gain: image.forProcessing ? 0.8 : 1,
    });
    const dataset = mammogramDataset(seed, study, image, instanceNumber, pixels, rows, columns);
    const path = `${study.set}/${study.key}/S${String(image.seriesNumber).padStart(3, '0')}/IM${String(instanceNumber).padStart(3, '0')}.dcm`;
    writePart10(join(out, path), dataset);
    files.push({
      path,
      set: study.set,
      study: study.key,
      patientId: study.patientId,
      facility: study.facility,
      studyDate: study.studyDate,
      studyInstanceUid: seededUid(seed, study.key, 'study'),
      seriesInstanceUid: seededUid(seed, study.key, image.series, 'series'),
      sopInstanceUid: seededUid(seed, study.key, image.series, instanceNumber, 'sop'),
      sopClassUid: image.forProcessing ? SOP_CLASS.mammographyForProcessing : SOP_CLASS.mammographyForPresentation,
      transferSyntaxUid: EXPLICIT_VR_LITTLE_ENDIAN,
      modality: 'MG',
      seriesNumber: image.seriesNumber,
      seriesDescription: image.seriesDescription,
      instanceNumber,
      kind: 'mammogram',
      rows,
      columns,
      frames: 1,
      laterality: image.laterality,
      view: image.view,
      modifiers: image.modifiers ?? [],
      presentationIntent: image.forProcessing ? 'FOR PROCESSING' : 'FOR PRESENTATION',
      patientOrientation: stored,
      chestWallSide,
      imagerPixelSpacingMm: study.detectorSpacingMm,
      acquisitionTime: image.acquisitionTime,
      headerGaps: image.headerGaps ?? [],
      marker,
      masses,
      mr: null,
    });
  }
  return { study: studyRecord(seed, study, 'MAMMOGRAM SCREENING BILATERAL'), files };
}

// ---------------------------------------------------------------------------------------------------
// Sets

export const SCREENING_PATIENT: PatientIdentity = { name: 'Halvorsen^Ingrid^Marie', birthDate: '19680322', sex: 'F' };
const VARIANT_PATIENT: PatientIdentity = { name: 'Okafor^Adaeze', birthDate: '19710908', sex: 'F' };

function screeningStudies(): MammoStudyPlan[] {
  const base = { set: 'screening' as const, patient: SCREENING_PATIENT };
  return [
    { ...base, key: 'current', patientId: 'NBC-448812', facility: 'Northside Breast Center', studyDate: '20261014', studyTime: '091512', manufacturer: 'HOLOGIC, Inc.', model: 'Selenia Dimensions', detectorSpacingMm: 0.085, magnification: 1.07, accession: 'NBC26101401', purpose: 'current screening' },
    { ...base, key: 'prior-1y', patientId: 'LV0091734', facility: 'Lakeview Imaging', studyDate: '20250930', studyTime: '143002', manufacturer: 'GE MEDICAL SYSTEMS', model: 'Senographe Pristina', detectorSpacingMm: 0.1, magnification: 1.08, accession: 'LV250930017', purpose: 'prior about one year before the current' },
    { ...base, key: 'prior-2y', patientId: 'LV0091734', facility: 'Lakeview Imaging', studyDate: '20241008', studyTime: '101744', manufacturer: 'GE MEDICAL SYSTEMS', model: 'Senographe Pristina', detectorSpacingMm: 0.1, magnification: 1.08, accession: 'LV241008004', purpose: 'prior about two years before the current' },
  ];
}

/** The four standard views, one series per image (as Hologic writes them), at the given times. */
function fourViews(times: [string, string, string, string], overrides: Partial<Record<string, Partial<MammoImagePlan>>> = {}): MammoImagePlan[] {
  const order: [Laterality, MammoView][] = [['R', 'CC'], ['L', 'CC'], ['R', 'MLO'], ['L', 'MLO']];
  return order.map(([laterality, view], i) => ({
    laterality,
    view,
    acquisitionTime: times[i]!,
    series: `${laterality}${view}`,
    seriesNumber: 71100 + i + 1,
    seriesDescription: `${laterality} ${view}`,
    ...overrides[`${laterality}${view}`],
  }));
}

function screeningSet(out: string, seed: string, size?: { rows: number; columns: number }, setName: FixtureSet = 'screening'): { studies: FixtureStudy[]; files: FixtureFile[] } {
  const [current, prior1, prior2] = screeningStudies().map((s) => ({ ...s, set: setName }));
  const results = [
    writeMammoStudy(out, seed, current!, fourViews(['091830', '092015', '092244', '092431']), size),
    // Lakeview's unit stores the right CC rotated (A\R: rows and columns reversed) and the left MLO mirrored.
    writeMammoStudy(out, seed, prior1!, fourViews(['143120', '143301', '143517', '143702'], {
      RCC: { orientation: 'A\\R' },
      LMLO: { orientation: 'P\\F' },
    }), size),
    writeMammoStudy(out, seed, prior2!, fourViews(['101902', '102047', '102230', '102418']), size),
  ];
  return { studies: results.map((r) => r.study), files: results.flatMap((r) => r.files) };
}

function variantStudy(key: string, purpose: string, overrides: Partial<MammoStudyPlan> = {}): MammoStudyPlan {
  const day = 1 + Math.abs(hashString(key) % 27);
  return {
    key,
    set: 'variants',
    patient: VARIANT_PATIENT,
    patientId: 'RV-20417',
    facility: 'Riverside Community Hospital',
    studyDate: `202603${String(day).padStart(2, '0')}`,
    studyTime: '080000',
    manufacturer: 'SIEMENS',
    model: 'Mammomat Revelation',
    detectorSpacingMm: 0.085,
    magnification: 1.06,
    accession: `RV${String(hashString(key) % 1_000_000).padStart(6, '0')}`,
    purpose,
    ...overrides,
  };
}

function hashString(text: string): number {
  return createHash('sha256').update(text).digest().readInt32BE(0);
}

function variantsSet(out: string, seed: string): { studies: FixtureStudy[]; files: FixtureFile[] } {
  const results: { study: FixtureStudy; files: FixtureFile[] }[] = [];
  const add = (study: MammoStudyPlan, images: MammoImagePlan[]): void => {
    results.push(writeMammoStudy(out, seed, study, images));
  };
  const times: [string, string, string, string] = ['080210', '080342', '080519', '080655'];
  add(variantStudy('no-image-laterality', 'Image Laterality absent; only series Laterality says the side'),
    fourViews(times, Object.fromEntries(['RCC', 'LCC', 'RMLO', 'LMLO'].map((k) => [k, { imageLaterality: false, seriesLaterality: true, headerGaps: ['no-image-laterality'] }]))));
  add(variantStudy('legacy-srt-codes', 'View Code Sequence with the legacy SNOMED-RT codes (SRT R-10242 / R-10226) only'),
    fourViews(times, Object.fromEntries(['RCC', 'LCC', 'RMLO', 'LMLO'].map((k) => [k, { codes: 'SRT' as const, headerGaps: ['legacy-srt-codes'] }]))));
  add(variantStudy('no-patient-orientation', 'no Patient Orientation: the chest-wall side is only in the pixels'),
    fourViews(times, Object.fromEntries(['RCC', 'LCC', 'RMLO', 'LMLO'].map((k) => [k, { orientation: null, headerGaps: ['no-patient-orientation'] }]))));
  add(variantStudy('text-only-views', 'no View Code Sequence and no View Position: the view is only in the series description ("R CC")'),
    fourViews(times, Object.fromEntries(['RCC', 'LCC', 'RMLO', 'LMLO'].map((k) => [k, { codes: 'none' as const, viewPosition: false, headerGaps: ['no-view-code-sequence', 'no-view-position'] }]))));
  add(variantStudy('one-series', 'all four views in one series (most units put each in its own)'),
    fourViews(times, Object.fromEntries(['RCC', 'LCC', 'RMLO', 'LMLO'].map((k) => [k, { series: 'all', seriesNumber: 1, seriesDescription: 'Screening Mammo', headerGaps: ['all-views-one-series'] }]))));
  add(variantStudy('for-processing', 'For Processing images of the same four views beside the For Presentation ones'), [
    ...fourViews(times),
    ...fourViews(times, Object.fromEntries(['RCC', 'LCC', 'RMLO', 'LMLO'].map((k, i) => [k, { forProcessing: true, series: `${k}-raw`, seriesNumber: 72100 + i + 1, seriesDescription: `${k[0]} ${k.slice(1)} RAW`, headerGaps: ['for-processing'] }]))),
  ]);
  add(variantStudy('additional-views', 'the four views plus spot compression, magnification, implant-displaced, XCCL and a repeat', { patientId: 'RV-20417' }), [
    ...fourViews(times, { RCC: { implant: true }, LCC: { implant: true }, RMLO: { implant: true }, LMLO: { implant: true } }),
    { laterality: 'L', view: 'CC', modifiers: ['spot'], acquisitionTime: '081502', series: 'LCC-spot', seriesNumber: 71201, seriesDescription: 'L CC SPOT', implant: true, headerGaps: ['additional-view'] },
    { laterality: 'L', view: 'CC', modifiers: ['magnification'], acquisitionTime: '081733', series: 'LCC-mag', seriesNumber: 71202, seriesDescription: 'L CC MAG', implant: true, headerGaps: ['additional-view'] },
    { laterality: 'R', view: 'CC', modifiers: ['implant-displaced'], acquisitionTime: '081911', series: 'RCC-id', seriesNumber: 71203, seriesDescription: 'R CC ID', implant: true, headerGaps: ['additional-view'] },
    { laterality: 'R', view: 'XCCL', acquisitionTime: '082104', series: 'RXCCL', seriesNumber: 71204, seriesDescription: 'R XCCL', implant: true, headerGaps: ['additional-view'] },
    // The technologist repeated the right MLO: same view, later acquisition time, its own series.
    { laterality: 'R', view: 'MLO', acquisitionTime: '082355', series: 'RMLO-repeat', seriesNumber: 71205, seriesDescription: 'R MLO', implant: true, headerGaps: ['repeat'] },
  ]);
  const mammo = { studies: results.map((r) => r.study), files: results.flatMap((r) => r.files) };
  const projections = projectionSetStudy(out, seed);
  return { studies: [...mammo.studies, projections.study], files: [...mammo.files, ...projections.files] };
}

/** A vendor's projection set kept as multi-frame Secondary Capture in the MG study (as some PACS exports do). */
function projectionSetStudy(out: string, seed: string): { study: FixtureStudy; files: FixtureFile[] } {
  const study = variantStudy('projection-set', 'MG study with the four views and a multi-frame Secondary Capture of tomosynthesis projections');
  const { study: record, files } = writeMammoStudy(out, seed, study, fourViews(['080210', '080342', '080519', '080655']));
  const rows = 256;
  const columns = 208;
  const frames = 9;
  const all = new Uint16Array(rows * columns * frames);
  for (let frame = 0; frame < frames; frame += 1) {
    const { pixels } = renderMammogram({ rows, columns, view: 'CC', chestWallSide: 'right', upsideDown: false, marker: `R${frame + 1}`, identity: `projection|${frame}`, seed, gain: 1 });
    all.set(pixels, frame * rows * columns);
  }
  const sopInstanceUid = seededUid(seed, study.key, 'projections', 1, 'sop');
  const seriesInstanceUid = seededUid(seed, study.key, 'projections', 'series');
  const dataset: Dataset = {
    ...commonStudyElements(seed, study, 'MAMMOGRAM SCREENING BILATERAL'),
    '00080008': el('CS', 'DERIVED', 'SECONDARY'),
    '00080016': el('UI', SOP_CLASS.multiframeGrayscaleWordSecondaryCapture),
    '00080018': el('UI', sopInstanceUid),
    '00080023': el('DA', study.studyDate),
    '00080033': el('TM', '083012'),
    '00080060': el('CS', 'MG'),
    '00080064': el('CS', 'WSD'),
    '00080070': el('LO', study.manufacturer),
    '0008103E': el('LO', 'R CC Tomo Projections'),
    '00081090': el('LO', study.model),
    '0020000E': el('UI', seriesInstanceUid),
    '00200011': el('IS', '73001'),
    '00200013': el('IS', '1'),
    '00200020': el('CS', 'P', 'L'),
    '00200062': el('CS', 'R'),
    '00280002': el('US', 1),
    '00280004': el('CS', 'MONOCHROME2'),
    '00280008': el('IS', String(frames)),
    '00280009': el('AT', 0x00181063),
    '00181063': el('DS', '100'),
    '00280010': el('US', rows),
    '00280011': el('US', columns),
    '00280100': el('US', 16),
    '00280101': el('US', 12),
    '00280102': el('US', 11),
    '00280103': el('US', 0),
    '00281050': el('DS', '2048'),
    '00281051': el('DS', '4096'),
    '00281052': el('DS', '0'),
    '00281053': el('DS', '1'),
    '00281054': el('LO', 'US'),
    '00282110': el('CS', '00'),
    '00280301': el('CS', 'NO'),
    '20500020': el('CS', 'IDENTITY'),
    '7FE00010': pixelData(all),
  };
  const path = `variants/${study.key}/S73001/IM001.dcm`;
  writePart10(join(out, path), dataset);
  files.push({
    ...files[0]!,
    path,
    seriesInstanceUid,
    sopInstanceUid,
    sopClassUid: SOP_CLASS.multiframeGrayscaleWordSecondaryCapture,
    seriesNumber: 73001,
    seriesDescription: 'R CC Tomo Projections',
    instanceNumber: 1,
    kind: 'projection-set',
    rows,
    columns,
    frames,
    laterality: 'R',
    view: 'CC',
    modifiers: [],
    presentationIntent: null,
    patientOrientation: 'P\\L',
    chestWallSide: 'right',
    imagerPixelSpacingMm: null,
    acquisitionTime: '083012',
    headerGaps: ['secondary-capture-projections'],
    marker: null,
    masses: [],
  });
  return { study: { ...record, purpose: study.purpose }, files };
}

// ---------------------------------------------------------------------------------------------------
// Breast MRI

interface MrStudyPlan {
  key: string;
  set: FixtureSet;
  patient: PatientIdentity;
  patientId: string;
  facility: string;
  studyDate: string;
  studyTime: string;
  accession: string;
  purpose: string;
  manufacturer: string;
  model: string;
  /** Table offset of this study's Frame of Reference against the patient (mm, added to z). */
  frameShift: number;
  slices: number;
  firstZ: number;
}

const MR_SIZE = 128;
const MR_PIXEL_MM = 2.5;
const MR_SLICE_MM = 3;
/** The phantom lesion, in the patient (the current study's frame): left breast, anterior. */
export const MR_LESION_PATIENT = { x: 62, y: -95, z: 9, radiusMm: 6 } as const;

/**
 * Two breasts hanging anterior (prone), a body behind them and one bright lesion in the left breast.
 * Intensity depends on the series role: fat bright on T1, fluid bright on T2, the lesion enhancing after
 * contrast (fast in, washout), subtraction = post - pre.
 */
function mrIntensity(role: MrRole, phase: number, x: number, y: number, z: number): number {
  const breastR = ((x + 62) / 58) ** 2 + ((y + 80) / 55) ** 2 + (z / 75) ** 2 <= 1 && y < -40;
  const breastL = ((x - 62) / 58) ** 2 + ((y + 80) / 55) ** 2 + (z / 75) ** 2 <= 1 && y < -40;
  const body = (x / 150) ** 2 + ((y - 40) / 90) ** 2 <= 1;
  const lesion = (x - MR_LESION_PATIENT.x) ** 2 + (y - MR_LESION_PATIENT.y) ** 2 + (z - MR_LESION_PATIENT.z) ** 2 <= MR_LESION_PATIENT.radiusMm ** 2;
  const glandular = Math.sin(x / 7) * Math.sin(y / 5) * Math.cos(z / 9) > 0.3;
  const enhancement = [0, 1.8, 1.6, 1.3][phase] ?? 0;
  const tissue = (t1: number, t2: number): number => (role === 't2' ? t2 : t1);
  let value = 0;
  if (breastR || breastL) {
    value = glandular ? tissue(600, 900) : tissue(1400, 700);
  } else if (body) {
    value = tissue(900, 500);
  }
  if (lesion) {
    value = role === 't2' ? 1500 : 700;
    if (role === 'dce') {
      value = 700 * (1 + enhancement);
    }
    if (role === 'subtraction' || role === 'mip') {
      return 700 * enhancement;
    }
  }
  if (role === 'subtraction' || role === 'mip') {
    return (breastR || breastL) && glandular ? 80 : 0;
  }
  return value;
}

interface MrSeriesPlan {
  key: string;
  role: MrRole;
  phase: number | null;
  number: number;
  description: string;
  imageType: string[];
  scanningSequence: string;
  sequenceName: string;
  repetitionTime: number;
  echoTime: number;
  acquisitionTime: string;
  /** Temporal Position Identifier (1 = pre-contrast) for DCE phases; null otherwise. */
  temporalPosition: number | null;
  contrast: string | null;
}

/**
 * Siemens-style series (what a MAGNETOM writes): one series per DCE phase (pre + 3 post), each with
 * Temporal Position Identifier (of 4), Contrast/Bolus Agent on the post-contrast ones; a
 * subtraction series (post1 - pre) marked SUB in Image Type, and one MIP image of it.
 */
function mrSeriesPlans(studyTime: string): MrSeriesPlan[] {
  const at = (minutes: number): string => {
    const hours = Number(studyTime.slice(0, 2));
    const seconds = Math.round((hours * 60 + Number(studyTime.slice(2, 4)) + minutes) * 60);
    const pad = (n: number): string => String(Math.floor(n)).padStart(2, '0');
    return `${pad(seconds / 3600)}${pad((seconds / 60) % 60)}${pad(seconds % 60)}`;
  };
  const dce = (phase: number): MrSeriesPlan => ({
    key: `dce-${phase}`,
    role: 'dce',
    phase,
    number: 10 + phase,
    description: phase === 0 ? 'Dyn_fl3d_tra_pre' : `Dyn_fl3d_tra_post${phase}`,
    imageType: ['ORIGINAL', 'PRIMARY', 'M', 'ND'],
    scanningSequence: 'GR',
    sequenceName: '*fl3d1',
    repetitionTime: 4.9,
    echoTime: 1.8,
    acquisitionTime: at(12 + phase * 1.5),
    temporalPosition: phase + 1,
    contrast: phase === 0 ? null : 'Gadobutrol',
  });
  return [
    { key: 't2', role: 't2', phase: null, number: 3, description: 't2_tse_tra', imageType: ['ORIGINAL', 'PRIMARY', 'M', 'NORM'], scanningSequence: 'SE', sequenceName: '*tse2d1_17', repetitionTime: 5600, echoTime: 89, acquisitionTime: at(3), temporalPosition: null, contrast: null },
    { key: 't1-pre', role: 't1-pre', phase: null, number: 5, description: 't1_fl2d_tra_nonfatsat', imageType: ['ORIGINAL', 'PRIMARY', 'M', 'NORM'], scanningSequence: 'GR', sequenceName: '*fl2d1', repetitionTime: 8.6, echoTime: 4.7, acquisitionTime: at(7), temporalPosition: null, contrast: null },
    dce(0), dce(1), dce(2), dce(3),
    { key: 'sub-1', role: 'subtraction', phase: 1, number: 20, description: 'Dyn_fl3d_tra_SUB_post1-pre', imageType: ['DERIVED', 'PRIMARY', 'M', 'ND', 'SUB'], scanningSequence: 'GR', sequenceName: '*fl3d1', repetitionTime: 4.9, echoTime: 1.8, acquisitionTime: at(13), temporalPosition: null, contrast: 'Gadobutrol' },
    { key: 'mip-1', role: 'mip', phase: 1, number: 21, description: 'MIP_tra_SUB_post1', imageType: ['DERIVED', 'PRIMARY', 'PROJECTION IMAGE', 'SUB', 'MIP'], scanningSequence: 'GR', sequenceName: '*fl3d1', repetitionTime: 4.9, echoTime: 1.8, acquisitionTime: at(13), temporalPosition: null, contrast: 'Gadobutrol' },
  ];
}

function mrStudies(): MrStudyPlan[] {
  const base = { set: 'mri' as const, patient: SCREENING_PATIENT };
  return [
    { ...base, key: 'mr-current', patientId: 'NBC-448812', facility: 'Northside Breast Center', studyDate: '20261021', studyTime: '103000', accession: 'NBC26102107', purpose: 'current breast MRI', manufacturer: 'SIEMENS', model: 'MAGNETOM Vida', frameShift: 0, slices: 30, firstZ: -45 },
    // Another scanner and table position: its Frame of Reference puts the same anatomy 12 mm further on.
    { ...base, key: 'mr-prior', patientId: 'LV0091734', facility: 'Lakeview Imaging', studyDate: '20251015', studyTime: '141500', accession: 'LV251015022', purpose: 'prior breast MRI (other facility, other Frame of Reference, table shifted 12 mm)', manufacturer: 'SIEMENS', model: 'MAGNETOM Skyra', frameShift: 12, slices: 32, firstZ: -51 },
  ];
}

function mrSet(out: string, seed: string): { studies: FixtureStudy[]; files: FixtureFile[] } {
  const studies: FixtureStudy[] = [];
  const files: FixtureFile[] = [];
  for (const study of mrStudies()) {
    const frameOfReferenceUid = seededUid(seed, study.key, 'frame-of-reference');
    const origin = -((MR_SIZE - 1) * MR_PIXEL_MM) / 2;
    studies.push(studyRecord(seed, study, 'MRI BREAST BILATERAL W AND WO CONTRAST', {
      x: MR_LESION_PATIENT.x,
      y: MR_LESION_PATIENT.y,
      z: MR_LESION_PATIENT.z + study.frameShift,
      radiusMm: MR_LESION_PATIENT.radiusMm,
    }));
    for (const series of mrSeriesPlans(study.studyTime)) {
      const seriesInstanceUid = seededUid(seed, study.key, series.key, 'series');
      const slicePlan = series.role === 'mip' ? [null] : Array.from({ length: study.slices }, (_, i) => i);
      for (const sliceIndex of slicePlan) {
        const z = sliceIndex === null ? null : study.firstZ + sliceIndex * MR_SLICE_MM;
        const pixels = new Uint16Array(MR_SIZE * MR_SIZE);
        for (let row = 0; row < MR_SIZE; row += 1) {
          for (let column = 0; column < MR_SIZE; column += 1) {
            const x = origin + column * MR_PIXEL_MM;
            const y = origin + row * MR_PIXEL_MM;
            let value = 0;
            if (z === null) {
              // The MIP projects the subtraction along z over the slab the series covers.
              for (let i = 0; i < study.slices; i += 1) {
                value = Math.max(value, mrIntensity('mip', 1, x, y, study.firstZ + i * MR_SLICE_MM - study.frameShift));
              }
            } else {
              value = mrIntensity(series.role, series.phase ?? 0, x, y, z - study.frameShift);
            }
            pixels[row * MR_SIZE + column] = Math.min(MAX_12_BIT, Math.round(value));
          }
        }
        const instanceNumber = sliceIndex === null ? 1 : sliceIndex + 1;
        const sopInstanceUid = seededUid(seed, study.key, series.key, instanceNumber, 'sop');
        const dataset: Dataset = {
          ...commonStudyElements(seed, study, 'MRI BREAST BILATERAL W AND WO CONTRAST'),
          '00080008': el('CS', ...series.imageType),
          '00080016': el('UI', SOP_CLASS.mrImage),
          '00080018': el('UI', sopInstanceUid),
          '00080021': el('DA', study.studyDate),
          '00080022': el('DA', study.studyDate),
          '00080023': el('DA', study.studyDate),
          '00080031': el('TM', series.acquisitionTime),
          '00080032': el('TM', series.acquisitionTime),
          '00080033': el('TM', series.acquisitionTime),
          '00080060': el('CS', 'MR'),
          '00080070': el('LO', study.manufacturer),
          '0008103E': el('LO', series.description),
          '00081090': el('LO', study.model),
          '00180015': el('CS', 'BREAST'),
          '00180020': el('CS', series.scanningSequence),
          '00180021': el('CS', 'SP'),
          '00180022': el('CS', ''),
          '00180023': el('CS', series.role === 't2' || series.role === 't1-pre' ? '2D' : '3D'),
          '00180024': el('SH', series.sequenceName),
          '00180050': el('DS', ds(MR_SLICE_MM)),
          '00180080': el('DS', ds(series.repetitionTime)),
          '00180081': el('DS', ds(series.echoTime)),
          '00180087': el('DS', '3'),
          '00180088': el('DS', ds(MR_SLICE_MM)),
          '00180091': el('IS', series.role === 't2' ? '17' : '1'),
          '00181030': el('LO', series.description),
          '00185100': el('CS', 'FFP'),
          '00200011': el('IS', String(series.number)),
          '00200013': el('IS', String(instanceNumber)),
          '0020000E': el('UI', seriesInstanceUid),
          '00200032': el('DS', ds(origin), ds(origin), ds(z ?? study.firstZ + ((study.slices - 1) * MR_SLICE_MM) / 2)),
          '00200037': el('DS', '1', '0', '0', '0', '1', '0'),
          '00200052': el('UI', frameOfReferenceUid),
          '00201040': el('LO', ''),
          // Both breasts in one acquisition: Image Laterality B (series Laterality takes only R or L).
          '00200062': el('CS', 'B'),
          '00280002': el('US', 1),
          '00280004': el('CS', 'MONOCHROME2'),
          '00280010': el('US', MR_SIZE),
          '00280011': el('US', MR_SIZE),
          '00280030': el('DS', ds(MR_PIXEL_MM), ds(MR_PIXEL_MM)),
          '00280100': el('US', 16),
          '00280101': el('US', 12),
          '00280102': el('US', 11),
          '00280103': el('US', 0),
          '00281050': el('DS', '900'),
          '00281051': el('DS', '1800'),
          '7FE00010': pixelData(pixels),
        };
        if (z !== null) {
          dataset['00201041'] = el('DS', ds(z));
        }
        if (series.temporalPosition !== null) {
          // Trigger Time (0018,1060) is left out: PS3.3 permits it in MR Image only for gated scans, and
          // dciodvfy rejects it otherwise; the phase order is in Temporal Position Identifier and times.
          dataset['00200100'] = el('IS', String(series.temporalPosition));
          dataset['00200105'] = el('IS', '4');
        }
        if (series.contrast !== null) {
          dataset['00180010'] = el('LO', series.contrast);
          dataset['00181041'] = el('DS', '7.5');
        }
        const path = `mri/${study.key}/S${String(series.number).padStart(3, '0')}/IM${String(instanceNumber).padStart(3, '0')}.dcm`;
        writePart10(join(out, path), dataset);
        files.push({
          path,
          set: 'mri',
          study: study.key,
          patientId: study.patientId,
          facility: study.facility,
          studyDate: study.studyDate,
          studyInstanceUid: seededUid(seed, study.key, 'study'),
          seriesInstanceUid,
          sopInstanceUid,
          sopClassUid: SOP_CLASS.mrImage,
          transferSyntaxUid: EXPLICIT_VR_LITTLE_ENDIAN,
          modality: 'MR',
          seriesNumber: series.number,
          seriesDescription: series.description,
          instanceNumber,
          kind: 'mr',
          rows: MR_SIZE,
          columns: MR_SIZE,
          frames: 1,
          laterality: null,
          view: null,
          modifiers: [],
          presentationIntent: null,
          patientOrientation: null,
          chestWallSide: null,
          imagerPixelSpacingMm: null,
          acquisitionTime: series.acquisitionTime,
          headerGaps: [],
          marker: null,
          masses: [],
          mr: { role: series.role, phase: series.phase, plane: 'axial', slicePosition: z, sliceIndex, frameOfReferenceUid },
        });
      }
    }
  }
  return { studies, files };
}

// ---------------------------------------------------------------------------------------------------
// Large images for the benchmark

const LARGE_SIZE = { rows: 4096, columns: 3328 };

/** The current and one-year prior screening images at full detector size, recompressed to JPEG 2000 by gdcmconv. */
function largeSet(out: string, seed: string): { studies: FixtureStudy[]; files: FixtureFile[] } {
  const { studies, files } = screeningSet(out, seed, LARGE_SIZE, 'large');
  const kept = studies.filter((s) => s.key !== 'prior-2y');
  const keptFiles: FixtureFile[] = [];
  for (const file of files) {
    const path = join(out, file.path);
    if (file.study === 'prior-2y') {
      continue;
    }
    const encoded = `${path}.j2k`;
    execFileSync('gdcmconv', ['--j2k', path, encoded], { stdio: 'ignore' });
    renameSync(encoded, path);
    keptFiles.push({ ...file, transferSyntaxUid: JPEG_2000 });
  }
  for (const file of files.filter((f) => f.study === 'prior-2y')) {
    execFileSync('rm', ['-f', join(out, file.path)]);
  }
  return { studies: kept, files: keptFiles };
}

// ---------------------------------------------------------------------------------------------------
// Entry points

export interface GenerateOptions {
  out: string;
  sets?: FixtureSet[];
  seed?: string;
}

/** Writes the named sets under `out` and returns (and writes as out/manifest.json) what was written. */
export function generateHangingFixtures(options: GenerateOptions): HangingManifest {
  const seed = options.seed ?? DEFAULT_SEED;
  const sets = options.sets ?? DEFAULT_SETS;
  const builders: Record<FixtureSet, (out: string, seed: string) => { studies: FixtureStudy[]; files: FixtureFile[] }> = {
    screening: screeningSet,
    variants: variantsSet,
    mri: mrSet,
    large: largeSet,
  };
  const manifest: HangingManifest = { seed, sets, studies: [], files: [] };
  for (const set of FIXTURE_SETS.filter((s) => sets.includes(s))) {
    const { studies, files } = builders[set](options.out, seed);
    manifest.studies.push(...studies);
    manifest.files.push(...files);
  }
  writeFileSync(join(options.out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function parseArguments(argv: string[]): GenerateOptions {
  let out: string | null = null;
  let seed: string | undefined;
  const sets: FixtureSet[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const argument = argv[i];
    const value = argv[i + 1];
    if (argument === '--out' && value) {
      out = resolve(value);
      i += 1;
    } else if (argument === '--set' && value && (FIXTURE_SETS as readonly string[]).includes(value)) {
      sets.push(value as FixtureSet);
      i += 1;
    } else if (argument === '--seed' && value) {
      seed = value;
      i += 1;
    } else {
      throw new Error(`usage: hanging-fixtures --out DIR [--set ${FIXTURE_SETS.join('|')}]... [--seed TEXT] (unexpected ${String(argument)})`);
    }
  }
  if (!out) {
    throw new Error('hanging-fixtures: --out DIR is required');
  }
  return { out, sets: sets.length > 0 ? sets : DEFAULT_SETS, ...(seed ? { seed } : {}) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const options = parseArguments(process.argv.slice(2));
  mkdirSync(options.out, { recursive: true });
  const manifest = generateHangingFixtures(options);
  process.stdout.write(`${manifest.files.length} files in ${manifest.studies.length} studies written to ${options.out}\n`);
}
