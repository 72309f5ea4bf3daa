import type { CalibrationInput } from '../dicom/calibration.ts';

/**
 * What the hanging engine reads: the studies of one local patient, each with the header values of
 * its instances that identification, orientation, scaling and series roles need. The library fills
 * this from its index; tests fill it from fixtures. Text is as received (untrusted, already decoded).
 */
export interface HangingCode {
  codeValue: string;
  codingSchemeDesignator: string;
  codeMeaning: string;
}

export interface HangingViewCode extends HangingCode {
  /** View Modifier Code Sequence (0054,0222) items of this view code. */
  modifiers: HangingCode[];
}

/**
 * Where the breast tissue meets the image edge, found from the pixels of every breast projection
 * (see chest-wall.ts): it decides when Patient Orientation is missing and checks it when present.
 * `left`/`right` are the stored image's first/last column.
 */
export interface PixelHint {
  chestWallSide: 'left' | 'right' | null;
  /** 0..1: how clearly one edge holds more tissue than the other. */
  confidence: number;
  /** Which analysis produced it, so a better one can replace cached results. */
  method: string;
}

export interface HangingInstance {
  sopInstanceUid: string;
  sopClassUid: string;
  seriesInstanceUid: string;
  instanceNumber: number | null;
  numberOfFrames: number;
  rows: number | null;
  columns: number | null;
  /** Series-level values, repeated on each instance so per-instance display sets need no join. */
  modality: string;
  seriesNumber: number | null;
  seriesDescription: string;
  protocolName: string;
  bodyPartExamined: string;
  /** Series Laterality (0020,0060). */
  seriesLaterality: string;
  manufacturer: string;
  manufacturerModelName: string;
  /** Image Type (0008,0008) values, upper case. */
  imageType: string[];
  /** Image Laterality (0020,0062). */
  imageLaterality: string;
  /** Frame Laterality from the shared Frame Anatomy Sequence (enhanced and tomosynthesis objects). */
  frameLaterality: string;
  /** View Position (0018,5101). */
  viewPosition: string;
  viewCodes: HangingViewCode[];
  /** Presentation Intent Type (0008,0068): FOR PRESENTATION / FOR PROCESSING. */
  presentationIntentType: string;
  /** Patient Orientation (0020,0020) as stored, e.g. "P\\L". */
  patientOrientation: string;
  breastImplantPresent: string;
  /** Partial View (0028,1350). */
  partialView: string;
  calibration: CalibrationInput;
  frameOfReferenceUid: string;
  imagePositionPatient: number[] | null;
  imageOrientationPatient: number[] | null;
  sliceThickness: number | null;
  acquisitionDateTime: string;
  acquisitionTime: string;
  contentTime: string;
  /** MR: Temporal Position Identifier (0020,0100) and Number of Temporal Positions (0020,0105). */
  temporalPositionIdentifier: number | null;
  numberOfTemporalPositions: number | null;
  /** MR: Trigger Time (0018,1060) ms. */
  triggerTime: number | null;
  /** MR: Contrast/Bolus Agent (0018,0010); empty when none was given or recorded. */
  contrastBolusAgent: string;
  /** MR: Diffusion b-value (0018,9087). */
  diffusionBValue: number | null;
  /** MR: Scanning Sequence (0018,0020) and Sequence Name (0018,0024). */
  scanningSequence: string;
  sequenceName: string;
  /** Chest-wall side from the pixels; null when not analysed (or not a projection image). */
  pixelHint: PixelHint | null;
  /**
   * The reader's choice of the stored edge that is the chest wall, kept in the library, where header
   * and pixels disagreed (or said nothing); absent or null when she made none.
   */
  orientationChoice?: { chestWallSide: 'left' | 'right' } | null;
}

export interface HangingStudy {
  studyInstanceUid: string;
  /** DICOM DA (YYYYMMDD); empty when unknown. */
  studyDate: string;
  studyTime: string;
  studyDescription: string;
  /** Institution Name as received: the facility shown on prior cells. */
  facility: string;
  modalities: string[];
  instances: HangingInstance[];
}

/** Everything one resolution needs. */
export interface HangingInput {
  current: HangingStudy;
  /** The local patient's other studies (any date), in any order; the engine picks priors from them. */
  others: HangingStudy[];
}
