// The breast MRI pair of the synthetic studies: a phantom (two breasts, one enhancing lesion at a known
// patient position) scanned at two facilities with different Frames of Reference and slice counts.
import { join } from 'node:path';
import { MAX_12_BIT, commonStudyElements, ds, el, pixelData, seededUid, studyRecord, writePart10 } from './hanging-dicom.ts';
import type { Dataset, StudyPlan } from './hanging-dicom.ts';
import { EXPLICIT_VR_LITTLE_ENDIAN, SCREENING_PATIENT, SOP_CLASS } from './hanging-manifest.ts';
import type { FixtureFile, FixtureStudy, MrRole } from './hanging-manifest.ts';

interface MrStudyPlan extends StudyPlan {
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

export function mrSet(out: string, seed: string): { studies: FixtureStudy[]; files: FixtureFile[] } {
  const studies: FixtureStudy[] = [];
  const files: FixtureFile[] = [];
  for (const study of mrStudies()) {
    const frameOfReferenceUid = seededUid(seed, study.key, 'frame-of-reference');
    const origin = -((MR_SIZE - 1) * MR_PIXEL_MM) / 2;
    studies.push(studyRecord(seed, study, 'MRI BREAST BILATERAL W AND WO CONTRAST', {
      lesion: { ...MR_LESION_PATIENT, z: MR_LESION_PATIENT.z + study.frameShift },
      frameOfReferenceUid,
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
          targetOrientation: null,
          chestWallSide: null,
          imagerPixelSpacingMm: null,
          magnificationFactor: null,
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
