// Mammograms for the synthetic studies: the breast drawn as the stored orientation implies, with the
// marker burned in, in Digital Mammography X-Ray Image headers as vendors write them.
import { join } from 'node:path';
import { MAX_12_BIT, codeItem, commonStudyElements, ds, el, pixelData, seededFraction, seededUid, sequence, studyRecord, writePart10 } from './hanging-dicom.ts';
import type { Code, Dataset, StudyPlan } from './hanging-dicom.ts';
import { drawText } from './hanging-font.ts';
import { EXPLICIT_VR_LITTLE_ENDIAN, SOP_CLASS } from './hanging-manifest.ts';
import type { FixtureFile, FixtureStudy, Laterality, MammoView, ViewModifier } from './hanging-manifest.ts';

// View codes as PS3.16 CID 4014/4015 give them; the SRT ones are what older units still write.
export const VIEW_CODES: Record<'SCT' | 'SRT', Record<MammoView, Code>> = {
  SCT: {
    CC: { value: '399162004', scheme: 'SCT', meaning: 'cranio-caudal' },
    MLO: { value: '399368009', scheme: 'SCT', meaning: 'medio-lateral oblique' },
    XCCL: { value: '399192008', scheme: 'SCT', meaning: 'cranio-caudal exaggerated laterally' },
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
  // Written with the legacy SNOMED-RT code (SCT 399209000 replaced it), as older units still do.
  'implant-displaced': { value: 'R-102D5', scheme: 'SRT', meaning: 'implant displaced' },
};
const MODIFIER_MARKS: Record<ViewModifier, string> = { spot: 'S', magnification: 'M', 'implant-displaced': 'ID' };
export const BREAST: Code = { value: '76752008', scheme: 'SCT', meaning: 'Breast' };

const AIR = 60;

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
export function renderMammogram(spec: MammoPixelSpec): MammoPixels {
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

export interface MammoStudyPlan extends StudyPlan {
  manufacturer: string;
  model: string;
  detectorSpacingMm: number;
  magnification: number;
}

export interface MammoImagePlan {
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
  /**
   * How the breast lies in the stored pixels, where it is not what the stored orientation implies
   * (a header that contradicts its image). Default: as the stored orientation (or the target) says.
   */
  layout?: { chestWallSide: 'left' | 'right'; upsideDown: boolean };
}

/**
 * Whether a stored orientation's column direction is the opposite of the target's: H or F decides for
 * an oblique or lateral view, L or R for a cranio-caudal one; a column that says neither is taken as the
 * right way up (an abbreviated "A\\L" on an MLO).
 */
function storedUpsideDown(storedColumn: string, view: MammoView, targetColumn: string): boolean {
  const letters = view === 'MLO' ? ['H', 'F'] : ['L', 'R'];
  const letter = letters.find((candidate) => storedColumn.includes(candidate));
  return letter !== undefined && !targetColumn.includes(letter);
}

const MAMMO_ROWS = 640;
const MAMMO_COLUMNS = 512;

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

export function writeMammoStudy(out: string, seed: string, study: MammoStudyPlan, images: MammoImagePlan[], sizeOverride?: { rows: number; columns: number }): { study: FixtureStudy; files: FixtureFile[] } {
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
    const [storedRow = '', storedColumn = ''] = (stored ?? target).split('\\');
    // The chest wall is where the row direction points posterior ("P" = towards the last column).
    const chestWallSide = image.layout?.chestWallSide ?? (storedRow.includes('P') ? 'right' : 'left');
    const upsideDown = image.layout?.upsideDown ?? storedUpsideDown(storedColumn, image.view, targetColumn ?? '');
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
      targetOrientation: target,
      chestWallSide,
      imagerPixelSpacingMm: study.detectorSpacingMm,
      magnificationFactor: study.magnification,
      acquisitionTime: image.acquisitionTime,
      headerGaps: image.headerGaps ?? [],
      marker,
      masses,
      mr: null,
    });
  }
  return { study: studyRecord(seed, study, 'MAMMOGRAM SCREENING BILATERAL'), files };
}
