// What the synthetic hanging-protocol studies are: the manifest a generation returns, file by file, and
// the names shared by the modules that write them (see hanging-fixtures.ts).
export const FIXTURE_SETS = ['screening', 'variants', 'mri', 'large'] as const;
export type FixtureSet = (typeof FIXTURE_SETS)[number];
/** What `--set` gives when none is named: everything but the big benchmark images. */
export const DEFAULT_SETS: FixtureSet[] = ['screening', 'variants', 'mri'];
export const DEFAULT_SEED = 'concord-hanging-v1';

export const SOP_CLASS = {
  mammographyForPresentation: '1.2.840.10008.5.1.4.1.1.1.2',
  mammographyForProcessing: '1.2.840.10008.5.1.4.1.1.1.2.1',
  breastTomosynthesis: '1.2.840.10008.5.1.4.1.1.13.1.3',
  multiframeGrayscaleWordSecondaryCapture: '1.2.840.10008.5.1.4.1.1.7.3',
  mrImage: '1.2.840.10008.5.1.4.1.1.4',
} as const;
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
// gdcmconv --j2k writes JPEG 2000 Image Compression (Lossless Only).
export const JPEG_2000_LOSSLESS = '1.2.840.10008.1.2.4.90';

export type Laterality = 'R' | 'L';
export type MammoView = 'CC' | 'MLO' | 'XCCL';
export type ViewModifier = 'spot' | 'magnification' | 'implant-displaced';
export type FixtureKind = 'mammogram' | 'tomosynthesis' | 'projection-set' | 'mr';
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
  /** The orientation the image hangs in (domain b.2 table); null for MR. */
  targetOrientation: string | null;
  /** Which edge of the stored pixels the chest wall touches; null for MR. */
  chestWallSide: 'left' | 'right' | null;
  /** Detector pixel size (mm); null for MR. */
  imagerPixelSpacingMm: number | null;
  /** Estimated Radiographic Magnification Factor (0018,1114): spacing at the breast = detector spacing / this. */
  magnificationFactor: number | null;
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

/** The screening woman; her breast MRI pair is hers too. */
export const SCREENING_PATIENT: PatientIdentity = { name: 'Halvorsen^Ingrid^Marie', birthDate: '19680322', sex: 'F' };
