import type { Database } from 'better-sqlite3';
import type { HangingCode, HangingInput, HangingInstance, HangingStudy } from '../../../shared/hanging/model.ts';
import { numberList } from '../library/studies.ts';

/** A study of the local patient, as the library numbers it. */
export interface PatientStudyRef {
  id: number;
  studyInstanceUid: string;
}

/**
 * The study and every other study of its local patient, under all of the patient's linked outside
 * identities (the candidate priors come from the local patient, never from one identity's ID).
 * Null when the library has no such study.
 */
export function patientStudiesOf(db: Database, studyInstanceUid: string): { current: PatientStudyRef; others: PatientStudyRef[] } | null {
  const current = db
    .prepare(`SELECT st.id, st.study_instance_uid AS studyInstanceUid, l.local_patient_ref AS localPatientId
      FROM studies st JOIN identity_links l ON l.identity_ref = st.patient_ref WHERE st.study_instance_uid = ?`)
    .get(studyInstanceUid) as (PatientStudyRef & { localPatientId: number }) | undefined;
  if (!current) {
    return null;
  }
  const others = db
    .prepare(`SELECT st.id, st.study_instance_uid AS studyInstanceUid FROM identity_links l
      JOIN studies st ON st.patient_ref = l.identity_ref
      WHERE l.local_patient_ref = ? AND st.id <> ? ORDER BY st.study_date DESC, st.study_time DESC, st.id`)
    .all(current.localPatientId, current.id) as PatientStudyRef[];
  return { current: { id: current.id, studyInstanceUid: current.studyInstanceUid }, others };
}

interface InstanceRow {
  sopInstanceUid: string;
  sopClassUid: string;
  seriesInstanceUid: string;
  instanceNumber: number | null;
  numberOfFrames: number;
  rows: number | null;
  columns: number | null;
  modality: string;
  seriesNumber: number | null;
  seriesDescription: string;
  protocolName: string | null;
  bodyPartExamined: string;
  seriesLaterality: string;
  manufacturer: string;
  manufacturerModelName: string;
  imageType: string;
  imageLaterality: string;
  frameLaterality: string;
  viewPosition: string;
  viewCodeValue: string;
  viewCodeScheme: string;
  viewCodeMeaning: string;
  viewModifierCodes: string;
  presentationIntentType: string;
  patientOrientation: string;
  breastImplantPresent: string;
  partialView: string;
  pixelSpacing: string | null;
  imagerPixelSpacing: string | null;
  ermf: number | null;
  calibrationType: string;
  nominalScanned: string | null;
  frameOfReferenceUid: string;
  imagePositionPatient: string | null;
  imageOrientationPatient: string | null;
  sliceThickness: number | null;
  acquisitionDateTime: string;
  acquisitionDate: string;
  acquisitionTime: string;
  contentTime: string;
  temporalPositionIdentifier: number | null;
  numberOfTemporalPositions: number | null;
  triggerTime: number | null;
  contrastBolusAgent: string | null;
  diffusionBValue: number | null;
  scanningSequence: string | null;
  sequenceName: string | null;
}

const SELECT_INSTANCES = `SELECT i.sop_instance_uid AS sopInstanceUid, i.sop_class_uid AS sopClassUid,
    se.series_instance_uid AS seriesInstanceUid, i.instance_number AS instanceNumber, i.number_of_frames AS numberOfFrames,
    i.rows, i.columns, se.modality, se.series_number AS seriesNumber, se.series_description AS seriesDescription,
    se.protocol_name AS protocolName, se.body_part_examined AS bodyPartExamined, se.laterality AS seriesLaterality,
    se.manufacturer, se.manufacturer_model_name AS manufacturerModelName, i.image_type AS imageType,
    i.image_laterality AS imageLaterality, i.frame_laterality AS frameLaterality, i.view_position AS viewPosition,
    i.view_code_value AS viewCodeValue, i.view_code_scheme AS viewCodeScheme, i.view_code_meaning AS viewCodeMeaning,
    i.view_modifier_codes AS viewModifierCodes, i.presentation_intent_type AS presentationIntentType,
    i.patient_orientation AS patientOrientation, i.breast_implant_present AS breastImplantPresent,
    i.partial_view AS partialView, i.pixel_spacing AS pixelSpacing, i.imager_pixel_spacing AS imagerPixelSpacing,
    i.estimated_radiographic_magnification_factor AS ermf, i.pixel_spacing_calibration_type AS calibrationType,
    i.nominal_scanned_pixel_spacing AS nominalScanned, i.frame_of_reference_uid AS frameOfReferenceUid,
    i.image_position_patient AS imagePositionPatient, i.image_orientation_patient AS imageOrientationPatient,
    i.slice_thickness AS sliceThickness, i.acquisition_datetime AS acquisitionDateTime,
    i.acquisition_date AS acquisitionDate, i.acquisition_time AS acquisitionTime, i.content_time AS contentTime,
    i.temporal_position_identifier AS temporalPositionIdentifier, i.number_of_temporal_positions AS numberOfTemporalPositions,
    i.trigger_time AS triggerTime, i.contrast_bolus_agent AS contrastBolusAgent, i.diffusion_b_value AS diffusionBValue,
    i.scanning_sequence AS scanningSequence, i.sequence_name AS sequenceName
  FROM series se JOIN instances i ON i.series_ref = se.id
  WHERE se.study_ref = ? AND i.displayable = 1
  ORDER BY se.series_number, se.id, i.instance_number, i.id`;

function modifiersOf(json: string): HangingCode[] {
  try {
    const parsed = JSON.parse(json) as unknown;
    return Array.isArray(parsed) ? (parsed as HangingCode[]) : [];
  } catch {
    return [];
  }
}

function toInstance(row: InstanceRow): HangingInstance {
  return {
    sopInstanceUid: row.sopInstanceUid,
    sopClassUid: row.sopClassUid,
    seriesInstanceUid: row.seriesInstanceUid,
    instanceNumber: row.instanceNumber,
    numberOfFrames: row.numberOfFrames,
    rows: row.rows,
    columns: row.columns,
    modality: row.modality,
    seriesNumber: row.seriesNumber,
    seriesDescription: row.seriesDescription,
    protocolName: row.protocolName ?? '',
    bodyPartExamined: row.bodyPartExamined,
    seriesLaterality: row.seriesLaterality,
    manufacturer: row.manufacturer,
    manufacturerModelName: row.manufacturerModelName,
    imageType: row.imageType.split('\\').map((value) => value.trim().toUpperCase()).filter(Boolean),
    imageLaterality: row.imageLaterality,
    frameLaterality: row.frameLaterality,
    viewPosition: row.viewPosition,
    // The index keeps the first View Code Sequence item (the one that names the view).
    viewCodes: row.viewCodeValue || row.viewCodeMeaning
      ? [{ codeValue: row.viewCodeValue, codingSchemeDesignator: row.viewCodeScheme, codeMeaning: row.viewCodeMeaning, modifiers: modifiersOf(row.viewModifierCodes) }]
      : [],
    presentationIntentType: row.presentationIntentType,
    patientOrientation: row.patientOrientation,
    breastImplantPresent: row.breastImplantPresent,
    partialView: row.partialView,
    calibration: {
      modality: row.modality,
      pixelSpacing: numberList(row.pixelSpacing),
      imagerPixelSpacing: numberList(row.imagerPixelSpacing),
      estimatedRadiographicMagnificationFactor: row.ermf,
      pixelSpacingCalibrationType: row.calibrationType || null,
      nominalScannedPixelSpacing: numberList(row.nominalScanned),
    },
    frameOfReferenceUid: row.frameOfReferenceUid,
    imagePositionPatient: numberList(row.imagePositionPatient),
    imageOrientationPatient: numberList(row.imageOrientationPatient),
    sliceThickness: row.sliceThickness,
    acquisitionDateTime: row.acquisitionDateTime || (row.acquisitionDate ? `${row.acquisitionDate}${row.acquisitionTime}` : ''),
    acquisitionTime: row.acquisitionTime,
    contentTime: row.contentTime,
    temporalPositionIdentifier: row.temporalPositionIdentifier,
    numberOfTemporalPositions: row.numberOfTemporalPositions,
    triggerTime: row.triggerTime,
    contrastBolusAgent: row.contrastBolusAgent ?? '',
    diffusionBValue: row.diffusionBValue,
    scanningSequence: row.scanningSequence ?? '',
    sequenceName: row.sequenceName ?? '',
    pixelHint: null,
  };
}

function studyOf(db: Database, ref: PatientStudyRef): HangingStudy {
  const head = db
    .prepare(`SELECT study_date AS studyDate, study_time AS studyTime, study_description AS studyDescription,
        institution_name AS facility FROM studies WHERE id = ?`)
    .get(ref.id) as { studyDate: string; studyTime: string; studyDescription: string; facility: string };
  const instances = (db.prepare(SELECT_INSTANCES).all(ref.id) as InstanceRow[]).map(toInstance);
  const modalities = (db.prepare('SELECT DISTINCT modality FROM series WHERE study_ref = ? ORDER BY modality').all(ref.id) as { modality: string }[])
    .map((row) => row.modality)
    .filter(Boolean);
  return { studyInstanceUid: ref.studyInstanceUid, ...head, modalities, instances };
}

/** What the hanging engine reads for one study: it and its local patient's other studies, from the index. */
export function buildHangingInput(db: Database, studies: { current: PatientStudyRef; others: PatientStudyRef[] }): HangingInput {
  return { current: studyOf(db, studies.current), others: studies.others.map((ref) => studyOf(db, ref)) };
}
