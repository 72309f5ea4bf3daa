import { describe, expect, it } from 'vitest';
import { measureDistance, resolveCalibration } from '../../shared/dicom/calibration.ts';
import type { CalibrationInput } from '../../shared/dicom/calibration.ts';

const none: CalibrationInput = {
  modality: 'MG',
  pixelSpacing: null,
  imagerPixelSpacing: null,
  estimatedRadiographicMagnificationFactor: null,
  pixelSpacingCalibrationType: null,
  nominalScannedPixelSpacing: null,
};

describe('pixel spacing and magnification', () => {
  it('corrects a mammogram\'s Imager Pixel Spacing by the magnification factor', () => {
    const c = resolveCalibration({ ...none, imagerPixelSpacing: [0.1, 0.1], estimatedRadiographicMagnificationFactor: 1.08 });
    expect(c.kind).toBe('magnification-corrected');
    expect(c.rowSpacingMm).toBeCloseTo(0.1 / 1.08, 10);
    expect(c.columnSpacingMm).toBeCloseTo(0.1 / 1.08, 10);
    expect(c.label).toMatch(/at the breast/);
    // 1000 detector pixels are 100 mm at the detector, 92.6 mm at the breast.
    expect(measureDistance(c, [0, 0], [1000, 0]).value).toBeCloseTo(92.59, 2);
  });

  it('labels Imager Pixel Spacing without a factor as the detector plane', () => {
    const c = resolveCalibration({ ...none, imagerPixelSpacing: [0.085, 0.085] });
    expect(c).toMatchObject({ kind: 'detector', rowSpacingMm: 0.085, columnSpacingMm: 0.085 });
    expect(c.label).toMatch(/at the detector/);
  });

  it('treats uncalibrated Pixel Spacing in a mammogram as the detector too, and corrects it by the factor', () => {
    // Many vendors copy Imager Pixel Spacing into Pixel Spacing without calibrating it.
    const copied = resolveCalibration({ ...none, pixelSpacing: [0.07, 0.07], imagerPixelSpacing: [0.07, 0.07], estimatedRadiographicMagnificationFactor: 1.1 });
    expect(copied.kind).toBe('magnification-corrected');
    expect(copied.rowSpacingMm).toBeCloseTo(0.07 / 1.1, 10);
    const pixelOnly = resolveCalibration({ ...none, pixelSpacing: [0.07, 0.07], estimatedRadiographicMagnificationFactor: 1.1 });
    expect(pixelOnly.kind).toBe('magnification-corrected');
  });

  it('uses Pixel Spacing as it is when it was calibrated to the patient', () => {
    const c = resolveCalibration({
      ...none, pixelSpacing: [0.09, 0.09], imagerPixelSpacing: [0.1, 0.1], estimatedRadiographicMagnificationFactor: 1.1,
      pixelSpacingCalibrationType: 'GEOMETRY',
    });
    expect(c).toMatchObject({ kind: 'calibrated', rowSpacingMm: 0.09, columnSpacingMm: 0.09 });
    expect(c.label).toMatch(/calibrated, geometry/);
  });

  it('keeps row and column spacing apart (non-square pixels)', () => {
    const c = resolveCalibration({ ...none, imagerPixelSpacing: [0.2, 0.1], estimatedRadiographicMagnificationFactor: 2 });
    expect([c.rowSpacingMm, c.columnSpacingMm]).toEqual([0.1, 0.05]);
    expect(measureDistance(c, [0, 0], [0, 10]).value).toBeCloseTo(1, 10);
    expect(measureDistance(c, [0, 0], [10, 0]).value).toBeCloseTo(0.5, 10);
  });

  it('uses cross-sectional Pixel Spacing as it is, whatever else is present', () => {
    const c = resolveCalibration({ ...none, modality: 'MR', pixelSpacing: [0.9375, 0.9375], estimatedRadiographicMagnificationFactor: 1.2 });
    expect(c).toMatchObject({ kind: 'patient', rowSpacingMm: 0.9375, label: 'mm' });
  });

  it('falls back to the film\'s scanned spacing for a digitised film', () => {
    const c = resolveCalibration({ ...none, modality: 'OT', nominalScannedPixelSpacing: [0.05, 0.05] });
    expect(c).toMatchObject({ kind: 'film', rowSpacingMm: 0.05 });
  });

  it('measures in pixels when nothing calibrates the image, and says so', () => {
    for (const input of [none, { ...none, modality: 'OT' }]) {
      const c = resolveCalibration(input);
      expect(c).toMatchObject({ kind: 'none', rowSpacingMm: null, columnSpacingMm: null });
      expect(measureDistance(c, [0, 0], [3, 4])).toEqual({ value: 5, unit: 'px' });
    }
  });

  it('ignores nonsense values instead of trusting them', () => {
    expect(resolveCalibration({ ...none, imagerPixelSpacing: [0, 0.1] }).kind).toBe('none');
    expect(resolveCalibration({ ...none, imagerPixelSpacing: [Number.NaN, 0.1] }).kind).toBe('none');
    expect(resolveCalibration({ ...none, imagerPixelSpacing: [-0.1, 0.1] }).kind).toBe('none');
    // A magnification factor below 1 is not one: the detector spacing stands, labelled as such.
    expect(resolveCalibration({ ...none, imagerPixelSpacing: [0.1, 0.1], estimatedRadiographicMagnificationFactor: 0.5 }).kind).toBe('detector');
    expect(resolveCalibration({ ...none, imagerPixelSpacing: [0.1, 0.1], estimatedRadiographicMagnificationFactor: 0 }).kind).toBe('detector');
  });

  it('accepts a single spacing value as square pixels', () => {
    expect(resolveCalibration({ ...none, modality: 'CT', pixelSpacing: [0.5] })).toMatchObject({ rowSpacingMm: 0.5, columnSpacingMm: 0.5 });
  });
});
