import { describe, expect, it } from 'vitest';
import { classifySopClass, isDisplayableKind } from '../../shared/dicom/sop-classes.ts';

describe('SOP class classification', () => {
  it.each([
    ['1.2.840.10008.5.1.4.1.1.1.2', 'image'], // digital mammography, for presentation
    ['1.2.840.10008.5.1.4.1.1.13.1.3', 'image'], // breast tomosynthesis
    ['1.2.840.10008.5.1.4.1.1.4', 'image'], // MR
    ['1.2.840.10008.5.1.4.1.1.4.1', 'image'], // enhanced MR
    ['1.2.840.10008.5.1.4.1.1.6.1', 'image'], // ultrasound
    ['1.2.840.10008.5.1.4.1.1.7', 'image'], // secondary capture
    ['1.2.840.10008.5.1.4.1.1.88.11', 'structured-report'],
    ['1.2.840.10008.5.1.4.1.1.88.67', 'structured-report'], // radiation dose SR
    ['1.2.840.10008.5.1.4.1.1.88.59', 'key-object-selection'],
    ['1.2.840.10008.5.1.4.1.1.104.1', 'encapsulated-document'], // PDF
    ['1.2.840.10008.5.1.4.1.1.481.2', 'radiotherapy'], // RT dose (has pixel data, still not an image to read)
    ['1.2.840.10008.5.1.4.1.1.9.1.1', 'waveform'],
    ['1.2.840.10008.5.1.4.1.1.11.1', 'presentation-state'],
    ['1.2.840.10008.5.1.4.1.1.66.4', 'segmentation'],
    ['1.2.840.10008.5.1.4.1.1.4.2', 'spectroscopy'],
    ['1.2.840.10008.1.3.10', 'media-directory'],
    ['1.3.46.670589.11.0.0.12.1', 'private'],
    ['', 'private'],
  ])('%s is %s', (uid, kind) => {
    expect(classifySopClass(uid)).toBe(kind);
  });

  it('displays images only', () => {
    expect(isDisplayableKind('image')).toBe(true);
    expect(isDisplayableKind('structured-report')).toBe(false);
    expect(isDisplayableKind('private')).toBe(false);
  });
});
