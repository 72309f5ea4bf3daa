import { describe, expect, it } from 'vitest';
import { withoutControls } from '../../electron/services/reports/dicom-writer.ts';

describe('text Concord writes into DICOM', () => {
  it('drops control and bidi characters from every text value, keeping line breaks and tabs', () => {
    const dataset = {
      PatientName: { Alphabetic: 'DOE\u202E^JANE\u0007' },
      ContentSequence: [{ TextValue: 'Line one\r\nline\ttwo\u001b[31m red\u0085', ConceptNameCodeSequence: [{ CodeMeaning: 'Finding\u2066s\u2069' }] }],
      PixelData: new ArrayBuffer(4),
      InstanceNumber: 1,
    };
    const clean = withoutControls(dataset) as typeof dataset;
    expect(clean.PatientName.Alphabetic).toBe('DOE^JANE');
    expect(clean.ContentSequence[0]?.TextValue).toBe('Line one\r\nline\ttwo[31m red');
    expect(clean.ContentSequence[0]?.ConceptNameCodeSequence[0]?.CodeMeaning).toBe('Findings');
    expect(clean.PixelData).toBe(dataset.PixelData);
    expect(clean.InstanceNumber).toBe(1);
  });
});
