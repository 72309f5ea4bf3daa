/**
 * Which physical size one pixel stands for, and at which plane, so measurements say what they measure.
 *
 * Cross-sectional images (CT, MR, US, PET...) carry Pixel Spacing in the patient. Projection images
 * (mammography, DX, CR) are different: the detector sees the breast magnified, so Imager Pixel Spacing
 * (at the detector) overstates sizes; divided by the Estimated Radiographic Magnification Factor it
 * estimates sizes at the breast (IHE Mammography Image profile; DICOM PS3.3 C.8.11.7 and 10.7.1.3).
 * Pixel Spacing in a projection image is at the patient only when Pixel Spacing Calibration Type says
 * it was calibrated; otherwise it is treated as the detector plane too.
 */
export interface CalibrationInput {
  modality: string;
  /** (0028,0030), [row spacing, column spacing] in mm. */
  pixelSpacing: number[] | null;
  /** (0018,1164), [row, column] in mm at the detector. */
  imagerPixelSpacing: number[] | null;
  /** (0018,1114). */
  estimatedRadiographicMagnificationFactor: number | null;
  /** (0028,0A02): GEOMETRY or FIDUCIAL when Pixel Spacing was calibrated to the patient. */
  pixelSpacingCalibrationType: string | null;
  /** (0018,2010), [row, column] in mm of a digitised film. */
  nominalScannedPixelSpacing: number[] | null;
}

export type CalibrationKind =
  | 'patient' // cross-sectional Pixel Spacing
  | 'calibrated' // projection Pixel Spacing calibrated to the patient (geometry or fiducial)
  | 'magnification-corrected' // Imager Pixel Spacing / ERMF: estimated at the breast
  | 'detector' // Imager Pixel Spacing (or uncalibrated Pixel Spacing) at the detector
  | 'film' // a digitised film: spacing on the film
  | 'none'; // no spacing: measurements in pixels

export interface Calibration {
  kind: CalibrationKind;
  /** mm between rows, mm between columns; null when measurements can only be in pixels. */
  rowSpacingMm: number | null;
  columnSpacingMm: number | null;
  /** The words a measurement label and the overlay show. */
  label: string;
}

const PROJECTION_MODALITIES = new Set(['MG', 'DX', 'CR', 'RG', 'IO', 'PX', 'XA', 'RF']);

function validPair(values: number[] | null): [number, number] | null {
  if (!values || values.length < 1) {
    return null;
  }
  const row = values[0] as number;
  const column = (values.length > 1 ? values[1] : values[0]) as number;
  return Number.isFinite(row) && Number.isFinite(column) && row > 0 && column > 0 && row < 1000 && column < 1000 ? [row, column] : null;
}

function validFactor(value: number | null): number | null {
  // A factor below 1 would mean the object is larger than its image: not a magnification.
  return value !== null && Number.isFinite(value) && value >= 1 && value < 10 ? value : null;
}

function result(kind: CalibrationKind, pair: [number, number] | null, label: string): Calibration {
  return { kind, rowSpacingMm: pair ? pair[0] : null, columnSpacingMm: pair ? pair[1] : null, label };
}

export function resolveCalibration(input: CalibrationInput): Calibration {
  const pixel = validPair(input.pixelSpacing);
  const imager = validPair(input.imagerPixelSpacing);
  const ermf = validFactor(input.estimatedRadiographicMagnificationFactor);
  const calibrationType = (input.pixelSpacingCalibrationType ?? '').trim().toUpperCase();
  const projection = PROJECTION_MODALITIES.has(input.modality.trim().toUpperCase()) || (imager !== null && !pixel);

  if (!projection) {
    if (pixel) {
      return result('patient', pixel, 'mm');
    }
    const film = validPair(input.nominalScannedPixelSpacing);
    return film ? result('film', film, 'mm (on the film)') : result('none', null, 'pixels (no calibration)');
  }
  if (pixel && (calibrationType === 'GEOMETRY' || calibrationType === 'FIDUCIAL')) {
    return result('calibrated', pixel, `mm (calibrated, ${calibrationType.toLowerCase()})`);
  }
  // Uncalibrated projection: start from the detector, preferring Imager Pixel Spacing.
  const detector = imager ?? pixel;
  if (detector && ermf) {
    return result('magnification-corrected', [detector[0] / ermf, detector[1] / ermf], `mm (at the breast: detector ÷ ${ermf})`);
  }
  if (detector) {
    return result('detector', detector, 'mm (at the detector, not magnification-corrected)');
  }
  const film = validPair(input.nominalScannedPixelSpacing);
  return film ? result('film', film, 'mm (on the film)') : result('none', null, 'pixels (no calibration)');
}

/** A distance between two image points (column, row), in the calibration's unit. */
export function measureDistance(calibration: Calibration, from: [number, number], to: [number, number]): { value: number; unit: 'mm' | 'px' } {
  const dx = to[0] - from[0];
  const dy = to[1] - from[1];
  if (calibration.rowSpacingMm === null || calibration.columnSpacingMm === null) {
    return { value: Math.hypot(dx, dy), unit: 'px' };
  }
  return { value: Math.hypot(dx * calibration.columnSpacingMm, dy * calibration.rowSpacingMm), unit: 'mm' };
}
