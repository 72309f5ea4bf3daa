import { describe, expect, it } from 'vitest';
import { edgeMarkers } from '../../shared/dicom/orientation.ts';

const none = { flipHorizontal: false, flipVertical: false, rotation: 0 };

describe('orientation markers', () => {
  it('reads an axial image: patient left on the screen right, posterior at the bottom', () => {
    expect(edgeMarkers({ imageOrientationPatient: [1, 0, 0, 0, 1, 0] }, none)).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
  });

  it('reads a sagittal and an oblique image', () => {
    expect(edgeMarkers({ imageOrientationPatient: [0, 1, 0, 0, 0, -1] }, none)).toEqual({ left: 'A', right: 'P', top: 'H', bottom: 'F' });
    expect(edgeMarkers({ imageOrientationPatient: [0.8, 0.6, 0, 0, 0, -1] }, none)?.right).toBe('LP');
  });

  it('reads a left mediolateral oblique mammogram from Patient Orientation', () => {
    // LMLO as vendors send it: rows toward anterior, columns toward foot.
    expect(edgeMarkers({ patientOrientation: 'A\\FR' }, none)).toEqual({ left: 'P', right: 'A', top: 'HL', bottom: 'FR' });
  });

  it('follows flips and rotation', () => {
    const axial = { imageOrientationPatient: [1, 0, 0, 0, 1, 0] };
    expect(edgeMarkers(axial, { ...none, flipHorizontal: true })).toEqual({ left: 'L', right: 'R', top: 'A', bottom: 'P' });
    expect(edgeMarkers(axial, { ...none, flipVertical: true })).toEqual({ left: 'R', right: 'L', top: 'P', bottom: 'A' });
    expect(edgeMarkers(axial, { ...none, rotation: 90 })).toEqual({ left: 'P', right: 'A', top: 'R', bottom: 'L' });
    expect(edgeMarkers(axial, { ...none, rotation: 360 })).toEqual(edgeMarkers(axial, none));
  });

  it('shows nothing rather than a guess when the header has no orientation', () => {
    expect(edgeMarkers({}, none)).toBeNull();
    expect(edgeMarkers({ patientOrientation: 'X\\Y' }, none)).toBeNull();
    expect(edgeMarkers({ imageOrientationPatient: [1, 0, 0] }, none)).toBeNull();
  });
});
