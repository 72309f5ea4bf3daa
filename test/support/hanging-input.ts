import type { InstanceAttributes } from '../../electron/services/import/attributes.ts';
import type { HangingCode, HangingInstance, HangingStudy, HangingViewCode } from '../../shared/hanging/model.ts';

/**
 * Small builders for the hanging engine's input: an instance with the defaults of a plain For
 * Presentation mammogram (or an MR slice), overridden field by field, and studies around them.
 */
let counter = 0;

export function uid(prefix = '1.2.826.0.1.3680043.10.9999'): string {
  counter += 1;
  return `${prefix}.${counter}`;
}

export function makeInstance(overrides: Partial<HangingInstance> = {}): HangingInstance {
  return {
    sopInstanceUid: uid(),
    sopClassUid: '1.2.840.10008.5.1.4.1.1.1.2',
    seriesInstanceUid: uid(),
    instanceNumber: 1,
    numberOfFrames: 1,
    rows: 3328,
    columns: 2560,
    modality: 'MG',
    seriesNumber: 1,
    seriesDescription: '',
    protocolName: '',
    bodyPartExamined: 'BREAST',
    seriesLaterality: '',
    manufacturer: 'ACME',
    manufacturerModelName: 'Model 1',
    imageType: ['ORIGINAL', 'PRIMARY'],
    imageLaterality: '',
    frameLaterality: '',
    viewPosition: '',
    viewCodes: [],
    presentationIntentType: 'FOR PRESENTATION',
    patientOrientation: '',
    breastImplantPresent: 'NO',
    partialView: 'NO',
    calibration: {
      modality: 'MG',
      pixelSpacing: null,
      imagerPixelSpacing: [0.1, 0.1],
      estimatedRadiographicMagnificationFactor: 1.08,
      pixelSpacingCalibrationType: null,
      nominalScannedPixelSpacing: null,
    },
    frameOfReferenceUid: '',
    imagePositionPatient: null,
    imageOrientationPatient: null,
    sliceThickness: null,
    acquisitionDateTime: '',
    acquisitionTime: '',
    contentTime: '',
    temporalPositionIdentifier: null,
    numberOfTemporalPositions: null,
    triggerTime: null,
    contrastBolusAgent: '',
    diffusionBValue: null,
    scanningSequence: '',
    sequenceName: '',
    pixelHint: null,
    ...overrides,
  };
}

const VIEW_SCT: Record<string, string> = { CC: '399162004', MLO: '399368009' };
const VIEW_MEANING: Record<string, string> = { CC: 'cranio-caudal', MLO: 'medio-lateral oblique' };

export function viewCode(codeValue: string, scheme = 'SCT', meaning = '', modifiers: HangingCode[] = []): HangingViewCode {
  return { codeValue, codingSchemeDesignator: scheme, codeMeaning: meaning, modifiers };
}

/** The target Patient Orientation of each standard view, as a well-behaved modality stores it. */
const STORED_ORIENTATION: Record<string, string> = { RCC: 'P\\L', LCC: 'A\\R', RMLO: 'P\\F', LMLO: 'A\\F' };

/** A standard view coded the way a conformant modality codes it (SCT view code, Image Laterality, Patient Orientation). */
export function mammogram(laterality: 'R' | 'L', view: 'CC' | 'MLO', overrides: Partial<HangingInstance> = {}): HangingInstance {
  return makeInstance({
    imageLaterality: laterality,
    viewPosition: view,
    viewCodes: [viewCode(VIEW_SCT[view] as string, 'SCT', VIEW_MEANING[view] as string)],
    patientOrientation: STORED_ORIENTATION[`${laterality}${view}`] as string,
    ...overrides,
  });
}

export function screeningViews(overrides: Partial<HangingInstance> = {}): HangingInstance[] {
  return (['R', 'L'] as const).flatMap((laterality) => (['CC', 'MLO'] as const).map((view) => mammogram(laterality, view, overrides)));
}

export function makeStudy(studyDate: string, instances: HangingInstance[], overrides: Partial<HangingStudy> = {}): HangingStudy {
  return {
    studyInstanceUid: uid(),
    studyDate,
    studyTime: '',
    studyDescription: '',
    facility: 'Clinic',
    modalities: [...new Set(instances.map((instance) => instance.modality))],
    instances,
    ...overrides,
  };
}

/** An MR series of `count` slices sharing a geometry. */
export function mrSeries(description: string, seriesNumber: number, overrides: Partial<HangingInstance> = {}, count = 2): HangingInstance[] {
  const seriesInstanceUid = uid();
  return Array.from({ length: count }, (_, index) =>
    makeInstance({
      sopClassUid: '1.2.840.10008.5.1.4.1.1.4',
      seriesInstanceUid,
      modality: 'MR',
      bodyPartExamined: 'BREAST',
      seriesNumber,
      seriesDescription: description,
      instanceNumber: index + 1,
      rows: 512,
      columns: 512,
      imageType: ['ORIGINAL', 'PRIMARY', 'M'],
      imageOrientationPatient: [1, 0, 0, 0, 1, 0],
      imagePositionPatient: [0, 0, index * 2],
      sliceThickness: 2,
      calibration: { modality: 'MR', pixelSpacing: [0.7, 0.7], imagerPixelSpacing: null, estimatedRadiographicMagnificationFactor: null, pixelSpacingCalibrationType: null, nominalScannedPixelSpacing: null },
      presentationIntentType: '',
      ...overrides,
    }),
  );
}

/**
 * An engine instance from the importer's attributes of a real file, as the library indexes them
 * (electron/services/hanging/input.ts builds the same from the index).
 */
export function instanceFromAttributes(attributes: InstanceAttributes): HangingInstance {
  return makeInstance({
    sopInstanceUid: attributes.sopInstanceUid,
    sopClassUid: attributes.sopClassUid,
    seriesInstanceUid: attributes.seriesInstanceUid,
    instanceNumber: attributes.instanceNumber,
    numberOfFrames: attributes.numberOfFrames,
    rows: attributes.rows,
    columns: attributes.columns,
    modality: attributes.modality,
    seriesNumber: attributes.seriesNumber,
    seriesDescription: attributes.seriesDescription,
    protocolName: attributes.protocolName,
    bodyPartExamined: attributes.bodyPartExamined,
    seriesLaterality: attributes.laterality,
    manufacturer: attributes.manufacturer,
    manufacturerModelName: attributes.manufacturerModelName,
    imageType: attributes.imageType.split('\\').map((value) => value.trim().toUpperCase()).filter(Boolean),
    imageLaterality: attributes.imageLaterality,
    frameLaterality: attributes.frameLaterality,
    viewPosition: attributes.viewPosition,
    viewCodes: attributes.viewCodes,
    presentationIntentType: attributes.presentationIntentType,
    patientOrientation: attributes.patientOrientation,
    breastImplantPresent: attributes.breastImplantPresent,
    partialView: attributes.partialView,
    calibration: {
      modality: attributes.modality,
      pixelSpacing: attributes.pixelSpacing,
      imagerPixelSpacing: attributes.imagerPixelSpacing,
      estimatedRadiographicMagnificationFactor: attributes.estimatedRadiographicMagnificationFactor,
      pixelSpacingCalibrationType: attributes.pixelSpacingCalibrationType || null,
      nominalScannedPixelSpacing: attributes.nominalScannedPixelSpacing,
    },
    frameOfReferenceUid: attributes.frameOfReferenceUid,
    imagePositionPatient: attributes.imagePositionPatient,
    imageOrientationPatient: attributes.imageOrientationPatient,
    sliceThickness: attributes.sliceThickness,
    acquisitionDateTime: attributes.acquisitionDateTime,
    acquisitionTime: attributes.acquisitionTime,
    contentTime: attributes.contentTime,
    temporalPositionIdentifier: attributes.temporalPositionIdentifier,
    numberOfTemporalPositions: attributes.numberOfTemporalPositions,
    triggerTime: attributes.triggerTime,
    contrastBolusAgent: attributes.contrastBolusAgent,
    diffusionBValue: attributes.diffusionBValue,
    scanningSequence: attributes.scanningSequence,
    sequenceName: attributes.sequenceName,
  });
}
