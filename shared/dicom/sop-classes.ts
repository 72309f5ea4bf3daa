/**
 * What kind of object a SOP class is, and whether Concord can display it as an image.
 * Instances Concord cannot display are still imported and indexed (IHE PDI asks the reader to tell the
 * user about them rather than drop them).
 */
export type ObjectKind =
  | 'image'
  | 'structured-report'
  | 'key-object-selection'
  | 'encapsulated-document'
  | 'presentation-state'
  | 'radiotherapy'
  | 'waveform'
  | 'segmentation'
  | 'raw-data'
  | 'spectroscopy'
  | 'media-directory'
  | 'private'
  | 'other';

const STORAGE = '1.2.840.10008.5.1.4.1.1.';

/** Image storage SOP classes (suffixes after 1.2.840.10008.5.1.4.1.1.). */
const IMAGE_SUFFIXES = new Set([
  '1', // CR
  '1.1', '1.1.1', // DX presentation / processing
  '1.2', '1.2.1', // MG presentation / processing
  '1.3', '1.3.1', // intra-oral
  '2', '2.1', '2.2', // CT, enhanced CT, legacy converted CT
  '3', '3.1', // ultrasound multi-frame (retired, current)
  '4', '4.1', '4.3', '4.4', // MR, enhanced MR, enhanced MR colour, legacy converted MR
  '5', '6', '6.1', '6.2', '6.3', // NM (retired), US (retired, current), enhanced US, photoacoustic
  '7', '7.1', '7.2', '7.3', '7.4', // secondary capture family
  '12.1', '12.1.1', '12.2', '12.2.1', '12.3', // XA, enhanced XA, RF, enhanced RF, biplane (retired)
  '13.1.1', '13.1.2', '13.1.3', '13.1.4', '13.1.5', // 3D XA, 3D craniofacial, breast tomosynthesis, breast projection
  '14.1', '14.2', // IVOCT
  '20', // NM
  '30', // parametric map
  '77.1', '77.1.1', '77.1.1.1', '77.1.2', '77.1.2.1', '77.1.3', '77.1.4', '77.1.4.1',
  '77.1.5.1', '77.1.5.2', '77.1.5.4', '77.1.5.5', '77.1.5.7', '77.1.5.8', '77.1.6',
  '128', '128.1', '130', // PET, legacy converted PET, enhanced PET
]);

export const MEDIA_STORAGE_DIRECTORY_SOP_CLASS = '1.2.840.10008.1.3.10';

export function classifySopClass(sopClassUid: string): ObjectKind {
  if (sopClassUid === MEDIA_STORAGE_DIRECTORY_SOP_CLASS) {
    return 'media-directory';
  }
  if (!sopClassUid.startsWith('1.2.840.10008.')) {
    return 'private';
  }
  if (!sopClassUid.startsWith(STORAGE)) {
    return 'other';
  }
  const suffix = sopClassUid.slice(STORAGE.length);
  if (IMAGE_SUFFIXES.has(suffix)) {
    return 'image';
  }
  if (suffix === '88.59') {
    return 'key-object-selection';
  }
  if (suffix.startsWith('88.')) {
    return 'structured-report';
  }
  if (suffix.startsWith('104.')) {
    return 'encapsulated-document';
  }
  if (suffix.startsWith('11.')) {
    return 'presentation-state';
  }
  if (suffix.startsWith('481.')) {
    return 'radiotherapy';
  }
  if (suffix.startsWith('9.')) {
    return 'waveform';
  }
  if (suffix === '66.4') {
    return 'segmentation';
  }
  if (suffix === '66') {
    return 'raw-data';
  }
  if (suffix === '4.2') {
    return 'spectroscopy';
  }
  return 'other';
}

export function isDisplayableKind(kind: ObjectKind): boolean {
  return kind === 'image';
}

const KIND_LABELS: Record<ObjectKind, string> = {
  'image': 'image',
  'structured-report': 'structured report',
  'key-object-selection': 'key object selection',
  'encapsulated-document': 'encapsulated document (PDF, CDA or STL)',
  'presentation-state': 'presentation state',
  'radiotherapy': 'radiotherapy object',
  'waveform': 'waveform',
  'segmentation': 'segmentation',
  'raw-data': 'raw data',
  'spectroscopy': 'MR spectroscopy',
  'media-directory': 'media directory (DICOMDIR)',
  'private': 'private SOP class',
  'other': 'non-image object',
};

export function describeKind(kind: ObjectKind): string {
  return KIND_LABELS[kind];
}
