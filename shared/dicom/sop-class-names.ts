import { classifySopClass, describeKind } from './sop-classes.ts';

const STORAGE = '1.2.840.10008.5.1.4.1.1.';

/** Names of the storage SOP classes a user may meet on a CD (PS3.4 Annex B), by suffix. */
const NAMES: Record<string, string> = {
  '1': 'Computed Radiography Image',
  '1.1': 'Digital X-Ray Image (for presentation)',
  '1.2': 'Digital Mammography X-Ray Image (for presentation)',
  '1.2.1': 'Digital Mammography X-Ray Image (for processing)',
  '2': 'CT Image',
  '4': 'MR Image',
  '4.1': 'Enhanced MR Image',
  '4.2': 'MR Spectroscopy',
  '6.1': 'Ultrasound Image',
  '7': 'Secondary Capture Image',
  '9.1.1': '12-lead ECG Waveform',
  '9.1.2': 'General ECG Waveform',
  '9.1.3': 'Ambulatory ECG Waveform',
  '9.2.1': 'Hemodynamic Waveform',
  '9.3.1': 'Cardiac Electrophysiology Waveform',
  '9.4.1': 'Basic Voice Audio Waveform',
  '9.4.2': 'General Audio Waveform',
  '9.5.1': 'Arterial Pulse Waveform',
  '9.6.1': 'Respiratory Waveform',
  '11.1': 'Grayscale Softcopy Presentation State',
  '11.2': 'Color Softcopy Presentation State',
  '11.3': 'Pseudo-Color Softcopy Presentation State',
  '11.4': 'Blending Softcopy Presentation State',
  '13.1.3': 'Breast Tomosynthesis Image',
  '13.1.4': 'Breast Projection X-Ray Image (for presentation)',
  '66': 'Raw Data',
  '66.4': 'Segmentation',
  '88.11': 'Basic Text SR',
  '88.22': 'Enhanced SR',
  '88.33': 'Comprehensive SR',
  '88.34': 'Comprehensive 3D SR',
  '88.35': 'Extensible SR',
  '88.50': 'Mammography CAD SR',
  '88.59': 'Key Object Selection Document',
  '88.65': 'Chest CAD SR',
  '88.67': 'X-Ray Radiation Dose SR',
  '88.68': 'Radiopharmaceutical Radiation Dose SR',
  '88.71': 'Acquisition Context SR',
  '88.73': 'Patient Radiation Dose SR',
  '88.76': 'Enhanced X-Ray Radiation Dose SR',
  '104.1': 'Encapsulated PDF',
  '104.2': 'Encapsulated CDA',
  '104.3': 'Encapsulated STL',
  '104.4': 'Encapsulated OBJ',
  '104.5': 'Encapsulated MTL',
  '128': 'PET Image',
  '481.1': 'RT Image',
  '481.2': 'RT Dose',
  '481.3': 'RT Structure Set',
  '481.4': 'RT Beams Treatment Record',
  '481.5': 'RT Plan',
  '481.8': 'RT Ion Plan',
};

/**
 * A SOP class's name for people ("12-lead ECG Waveform"); for a class not in the table, what kind of
 * object it is and its UID.
 */
export function sopClassName(sopClassUid: string): string {
  const name = sopClassUid.startsWith(STORAGE) ? NAMES[sopClassUid.slice(STORAGE.length)] : undefined;
  return name ?? `${describeKind(classifySopClass(sopClassUid))} (${sopClassUid || 'no SOP class'})`;
}
