import { describe, expect, it } from 'vitest';
import type { Instance, Series } from '../../shared/api/schemas.ts';
import type { ObjectKind } from '../../shared/dicom/sop-classes.ts';
import { sopClassName } from '../../shared/dicom/sop-class-names.ts';
import { documentSeriesLabel, isDocumentSeries, openableSeries } from '../../renderer/src/features/viewer/documents.ts';

function instance(sop: string, kind: ObjectKind, sopClassUid = '1.2.840.10008.5.1.4.1.1.88.67'): Instance {
  return {
    sopInstanceUid: sop, sopClassUid, objectKind: kind, displayable: kind === 'image', instanceNumber: 1, numberOfFrames: 1,
    rows: null, columns: null, imageLaterality: '', viewPosition: '', viewCodeMeaning: '', patientOrientation: '',
    imagePositionPatient: null, imageOrientationPatient: null, documentTitle: '',
    calibration: { pixelSpacing: null, imagerPixelSpacing: null, estimatedRadiographicMagnificationFactor: null, pixelSpacingCalibrationType: null, nominalScannedPixelSpacing: null },
  };
}

function series(uid: string, ...instances: Instance[]): Series {
  return { seriesInstanceUid: uid, modality: 'OT', seriesNumber: 1, seriesDescription: '', bodyPartExamined: '', laterality: '', instances };
}

describe('which series the viewer opens', () => {
  const mg = series('1', instance('1.1', 'image'));
  const ecg = series('2', instance('2.1', 'waveform', '1.2.840.10008.5.1.4.1.1.9.1.1'));
  const pdf = series('3', instance('3.1', 'encapsulated-document', '1.2.840.10008.5.1.4.1.1.104.1'));
  const sr = series('4', instance('4.1', 'structured-report'));

  it('tells document series from image series', () => {
    expect([mg, ecg, pdf, sr].map(isDocumentSeries)).toEqual([false, true, true, true]);
    expect(isDocumentSeries(series('5'))).toBe(false);
    expect([ecg, pdf, sr].map(documentSeriesLabel)).toEqual(['Not displayable', 'Document', 'Report']);
  });

  it('opens the images of a study that has images, and its reports before PDFs before the rest otherwise', () => {
    expect(openableSeries([ecg, mg, sr], null)).toEqual([mg]);
    expect(openableSeries([ecg, pdf, sr], null)).toEqual([sr, pdf, ecg]);
  });

  it('puts the series holding the requested instance first, a document one too', () => {
    expect(openableSeries([mg, sr], '4.1')).toEqual([sr, mg]);
    expect(openableSeries([ecg, pdf, sr], '2.1')).toEqual([ecg, sr, pdf]);
  });

  it('names SOP classes for people, and says what an unknown one is', () => {
    expect(sopClassName('1.2.840.10008.5.1.4.1.1.9.1.1')).toBe('12-lead ECG Waveform');
    expect(sopClassName('1.2.840.10008.5.1.4.1.1.88.67')).toBe('X-Ray Radiation Dose SR');
    expect(sopClassName('1.2.3.4')).toBe('private SOP class (1.2.3.4)');
  });
});
