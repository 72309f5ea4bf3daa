import type { Database, Statement } from 'better-sqlite3';
import type { ObjectKind } from '../../../shared/dicom/sop-classes.ts';
import type { FileOutcomeRecord } from '../../../shared/import/outcomes.ts';
import type { InstanceAttributes } from '../import/attributes.ts';

export interface NewInstance {
  attributes: InstanceAttributes;
  objectKind: ObjectKind;
  displayable: boolean;
  transferSyntaxUid: string;
  originalAttributes: string;
  storeKey: string;
  fileSize: number;
  sourcePath: string;
}

/** An instance stored but in no study: it lacks a Study or Series Instance UID (see migration 0040). */
export interface NewUnfiled {
  instance: NewInstance;
  reason: string;
}

export type ConflictKind = 'same-sop-instance-uid' | 'study-of-other-patient' | 'series-of-other-study' | 'ambiguous-identity';

export interface NewConflict {
  sopInstanceUid: string;
  kind: ConflictKind;
  existingInstanceId: number | null;
  storeKey: string;
  fileSize: number;
  sourcePath: string;
  differences: string;
}

export interface ExistingInstance {
  /** The instances row; null for an unfiled instance. */
  id: number | null;
  storeKey: string;
}

interface StudyOwner {
  id: number;
  patientRef: number;
  patientId: string;
  patientName: string;
  issuer: string;
  birthDate: string;
  sex: string;
}

export type Placement = { studyId: number } | { conflict: ConflictKind; reason: string };

function numbers(values: number[] | null): string | null {
  return values ? values.join('\\') : null;
}

/**
 * The MR values of migration 0060. Attributes kept as JSON before it (an unfiled instance filed
 * later) lack them: those are written NULL, "not indexed", and the hanging backfill reads them.
 */
export function mrAttributes(a: Partial<InstanceAttributes>): Record<string, string | number | null> {
  return {
    protocolName: a.protocolName ?? null,
    temporalPositionIdentifier: a.temporalPositionIdentifier ?? null,
    numberOfTemporalPositions: a.numberOfTemporalPositions ?? null,
    triggerTime: a.triggerTime ?? null,
    contrastBolusAgent: a.contrastBolusAgent ?? null,
    diffusionBValue: a.diffusionBValue ?? null,
    scanningSequence: a.scanningSequence ?? null,
    sequenceName: a.sequenceName ?? null,
  };
}

/** The importer's writes to the index, as prepared statements run inside the caller's transactions. */
export class IndexWriter {
  private readonly findInstance: Statement<[{ uid: string }], ExistingInstance>;
  private readonly insertPatient: Statement;
  private readonly selectPatient: Statement<unknown[], { id: number }>;
  private readonly insertStudy: Statement;
  private readonly selectStudy: Statement<[string], { id: number; patient_ref: number }>;
  private readonly insertSeries: Statement;
  private readonly selectSeries: Statement<[string], { id: number }>;
  private readonly insertInstanceRow: Statement;
  private readonly insertConflictRow: Statement;
  private readonly insertUnfiledRow: Statement;
  private readonly insertOutcomeRow: Statement;
  private readonly insertNotesRow: Statement;
  private readonly deleteNotesRow: Statement;
  private readonly insertJournal: Statement;
  private readonly deleteJournal: Statement;
  private readonly deleteSearch: Statement;
  private readonly insertSearch: Statement;
  private readonly updateSession: Statement;
  private readonly studyOwner: Statement<[string], StudyOwner>;
  private readonly seriesOwner: Statement<[string], { id: number; studyRef: number; studyUid: string }>;
  private readonly patientIds = new Map<string, number>();
  private readonly otherPatientIds = new Map<number, Set<string>>();
  private readonly selectOtherPatientIds: Statement;
  private readonly updateOtherPatientIds: Statement;

  constructor(private readonly db: Database) {
    // A SOP Instance UID is taken whether its instance is filed in a study or waits unfiled.
    this.findInstance = db.prepare(`SELECT id, store_key AS storeKey FROM instances WHERE sop_instance_uid = @uid
      UNION ALL SELECT NULL, store_key FROM unfiled_instances WHERE sop_instance_uid = @uid`);
    this.insertPatient = db.prepare(`INSERT INTO patients (patient_id, issuer_of_patient_id, patient_name, birth_date, sex)
      VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
    this.selectOtherPatientIds = db.prepare('SELECT other_patient_ids AS ids FROM patients WHERE id = ?');
    this.updateOtherPatientIds = db.prepare('UPDATE patients SET other_patient_ids = ? WHERE id = ?');
    this.selectPatient = db.prepare(`SELECT id FROM patients WHERE patient_id = ? AND issuer_of_patient_id = ?
      AND patient_name = ? AND birth_date = ? AND sex = ?`);
    this.insertStudy = db.prepare(`INSERT INTO studies (study_instance_uid, patient_ref, study_date, study_time,
        accession_number, issuer_of_accession_number, study_description, study_id, referring_physician_name,
        institution_name, first_import_session_id, created_at)
      VALUES (@studyInstanceUid, @patientRef, @studyDate, @studyTime, @accessionNumber, @issuerOfAccessionNumber,
        @studyDescription, @studyId, @referringPhysicianName, @institutionName, @sessionId, @now)
      ON CONFLICT (study_instance_uid) DO NOTHING`);
    this.selectStudy = db.prepare('SELECT id, patient_ref FROM studies WHERE study_instance_uid = ?');
    this.insertSeries = db.prepare(`INSERT INTO series (series_instance_uid, study_ref, modality, series_number,
        series_description, body_part_examined, laterality, manufacturer, manufacturer_model_name, protocol_name)
      VALUES (@seriesInstanceUid, @studyRef, @modality, @seriesNumber, @seriesDescription, @bodyPartExamined,
        @laterality, @manufacturer, @manufacturerModelName, @protocolName)
      ON CONFLICT (series_instance_uid) DO NOTHING`);
    this.selectSeries = db.prepare('SELECT id FROM series WHERE series_instance_uid = ?');
    this.insertInstanceRow = db.prepare(`INSERT INTO instances (sop_instance_uid, series_ref, sop_class_uid, object_kind,
        displayable, transfer_syntax_uid, instance_number, image_type, image_laterality, frame_laterality,
        view_position, view_code_value, view_code_scheme, view_code_meaning, view_modifier_codes,
        presentation_intent_type, patient_orientation, breast_implant_present, partial_view, rows, columns,
        number_of_frames, samples_per_pixel, photometric_interpretation, bits_allocated, bits_stored,
        pixel_representation, pixel_spacing, imager_pixel_spacing, estimated_radiographic_magnification_factor,
        pixel_spacing_calibration_type, nominal_scanned_pixel_spacing,
        frame_of_reference_uid, image_position_patient, image_orientation_patient, slice_thickness,
        acquisition_date, acquisition_time, acquisition_datetime, content_date, content_time, document_title,
        specific_character_set, original_attributes, store_key, file_size, import_session_id, source_path, imported_at,
        temporal_position_identifier, number_of_temporal_positions, trigger_time, contrast_bolus_agent,
        diffusion_b_value, scanning_sequence, sequence_name)
      VALUES (@sopInstanceUid, @seriesRef, @sopClassUid, @objectKind, @displayable, @transferSyntaxUid,
        @instanceNumber, @imageType, @imageLaterality, @frameLaterality, @viewPosition, @viewCodeValue,
        @viewCodeScheme, @viewCodeMeaning, @viewModifierCodes, @presentationIntentType, @patientOrientation,
        @breastImplantPresent, @partialView, @rows, @columns, @numberOfFrames, @samplesPerPixel,
        @photometricInterpretation, @bitsAllocated, @bitsStored, @pixelRepresentation, @pixelSpacing,
        @imagerPixelSpacing, @ermf, @pixelSpacingCalibrationType, @nominalScannedPixelSpacingText, @frameOfReferenceUid, @imagePositionPatient, @imageOrientationPatient,
        @sliceThickness, @acquisitionDate, @acquisitionTime, @acquisitionDateTime, @contentDate, @contentTime,
        @documentTitle, @specificCharacterSet, @originalAttributes, @storeKey, @fileSize, @sessionId,
        @sourcePath, @now, @temporalPositionIdentifier, @numberOfTemporalPositions, @triggerTime,
        @contrastBolusAgent, @diffusionBValue, @scanningSequence, @sequenceName)`);
    this.insertConflictRow = db.prepare(`INSERT INTO instance_conflicts (sop_instance_uid, conflict_kind, existing_instance_ref,
        store_key, file_size, import_session_id, source_path, differences, recorded_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sop_instance_uid, store_key) DO NOTHING`);
    this.insertUnfiledRow = db.prepare(`INSERT INTO unfiled_instances (sop_instance_uid, reason, study_instance_uid,
        series_instance_uid, patient_id, issuer_of_patient_id, patient_name, birth_date, sex, modality, sop_class_uid,
        object_kind, displayable, transfer_syntax_uid, original_attributes, store_key, file_size, import_session_id,
        source_path, imported_at)
      VALUES (@sopInstanceUid, @reason, @studyUid, @seriesUid, @patientId, @issuerOfPatientId, @patientName,
        @patientBirthDate, @patientSex, @modality, @sopClassUid, @objectKind, @displayable, @transferSyntaxUid,
        @originalAttributes, @storeKey, @fileSize, @sessionId, @sourcePath, @now)`);
    this.studyOwner = db.prepare(`SELECT st.id, st.patient_ref AS patientRef, p.patient_id AS patientId, p.patient_name AS patientName,
        p.issuer_of_patient_id AS issuer, p.birth_date AS birthDate, p.sex
      FROM studies st JOIN patients p ON p.id = st.patient_ref WHERE st.study_instance_uid = ?`);
    this.seriesOwner = db.prepare(`SELECT se.id, se.study_ref AS studyRef, st.study_instance_uid AS studyUid
      FROM series se JOIN studies st ON st.id = se.study_ref WHERE se.series_instance_uid = ?`);
    this.insertOutcomeRow = db.prepare(`INSERT INTO import_outcomes (session_id, path, outcome, reason,
        sop_instance_uid, sop_class_uid, object_kind, bytes)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (session_id, path) DO UPDATE SET outcome = excluded.outcome, reason = excluded.reason,
        sop_instance_uid = excluded.sop_instance_uid, sop_class_uid = excluded.sop_class_uid,
        object_kind = excluded.object_kind, bytes = excluded.bytes`);
    this.insertNotesRow = db.prepare(`INSERT INTO import_outcome_notes (session_id, path, notes) VALUES (?, ?, ?)
      ON CONFLICT (session_id, path) DO UPDATE SET notes = excluded.notes`);
    this.deleteNotesRow = db.prepare('DELETE FROM import_outcome_notes WHERE session_id = ? AND path = ?');
    this.insertJournal = db.prepare('INSERT OR IGNORE INTO store_journal (store_key, session_id, created_at) VALUES (?, ?, ?)');
    this.deleteJournal = db.prepare('DELETE FROM store_journal WHERE store_key = ?');
    this.deleteSearch = db.prepare('DELETE FROM study_search WHERE rowid = ?');
    this.insertSearch = db.prepare(`INSERT INTO study_search (rowid, patient_names, identifiers, descriptions)
      SELECT st.id, p.patient_name,
        p.patient_id || ' ' || st.accession_number || ' ' || st.study_id,
        st.study_description || ' ' || coalesce((SELECT group_concat(se.series_description || ' ' || se.modality, ' ')
          FROM series se WHERE se.study_ref = st.id), '')
      FROM studies st JOIN patients p ON p.id = st.patient_ref WHERE st.id = ?`);
    this.updateSession = db.prepare(`UPDATE import_sessions SET files_seen = ?, bytes_imported = bytes_imported + ?
      WHERE id = ?`);
  }

  lookup(sopInstanceUid: string): ExistingInstance | undefined {
    return this.findInstance.get({ uid: sopInstanceUid });
  }

  journal(keys: readonly string[], sessionId: number): void {
    const now = new Date().toISOString();
    this.db.transaction(() => {
      for (const key of keys) {
        this.insertJournal.run(key, sessionId, now);
      }
    })();
  }

  private patientRef(a: InstanceAttributes): number {
    const values = [a.patientId, a.issuerOfPatientId, a.patientName, a.patientBirthDate, a.patientSex];
    const cacheKey = JSON.stringify(values);
    let id = this.patientIds.get(cacheKey);
    if (id === undefined) {
      this.insertPatient.run(...values);
      id = (this.selectPatient.get(...values) as { id: number }).id;
      this.patientIds.set(cacheKey, id);
    }
    this.noteOtherPatientIds(id, a.otherPatientIds);
    return id;
  }

  /**
   * An identity's Other Patient IDs are the union of those its instances list (evidence for linking
   * identities; see migration 0050). Written only when an instance brings one not yet recorded.
   */
  private noteOtherPatientIds(patientRef: number, ids: readonly string[] | undefined): void {
    let known = this.otherPatientIds.get(patientRef);
    if (!known) {
      const row = this.selectOtherPatientIds.get(patientRef) as { ids: string | null } | undefined;
      known = new Set(row?.ids ? (JSON.parse(row.ids) as string[]) : []);
      this.otherPatientIds.set(patientRef, known);
      if (row?.ids === null) {
        // Indexed from now on: an identity first seen before Other Patient IDs were read starts empty.
        this.updateOtherPatientIds.run(JSON.stringify([...known]), patientRef);
      }
    }
    const added = (ids ?? []).filter((id) => !known.has(id));
    if (added.length > 0) {
      added.forEach((id) => known.add(id));
      this.updateOtherPatientIds.run(JSON.stringify([...known]), patientRef);
    }
  }

  /** Forgets what a rolled-back transaction may have cached. */
  resetCaches(): void {
    this.patientIds.clear();
    this.otherPatientIds.clear();
  }

  /**
   * Inserts one instance with its patient, study and series, unless its study already belongs to
   * another patient identity or its series to another study: then nothing is written and the
   * caller keeps the file aside. Filing an image under the wrong patient is never an option.
   */
  addInstance(instance: NewInstance, sessionId: number | null, now: string, options: { otherPatientConfirmed?: boolean } = {}): Placement {
    const a = instance.attributes;
    const owner = this.studyOwner.get(a.studyInstanceUid);
    if (
      owner &&
      // Only a person filing an unfiled instance may confirm this (see library/filing.ts); an import never does.
      !options.otherPatientConfirmed &&
      (owner.patientId !== a.patientId || owner.issuer !== a.issuerOfPatientId || owner.patientName !== a.patientName ||
        owner.birthDate !== a.patientBirthDate || owner.sex !== a.patientSex)
    ) {
      return {
        conflict: 'study-of-other-patient',
        reason:
          `its Study Instance UID is already in the library for another patient ` +
          `(ID ${JSON.stringify(owner.patientId)}, name ${JSON.stringify(owner.patientName)}; this file says ` +
          `ID ${JSON.stringify(a.patientId)}, name ${JSON.stringify(a.patientName)})`,
      };
    }
    const seriesOwner = this.seriesOwner.get(a.seriesInstanceUid);
    if (seriesOwner && seriesOwner.studyUid !== a.studyInstanceUid) {
      return {
        conflict: 'series-of-other-study',
        reason: `its Series Instance UID already belongs to another study in the library (${seriesOwner.studyUid})`,
      };
    }
    // A study in the library keeps its patient (the same identity, unless a person confirmed otherwise).
    const patientRef = owner ? owner.patientRef : this.patientRef(a);
    this.insertStudy.run({ ...a, patientRef, sessionId, now });
    const study = this.selectStudy.get(a.studyInstanceUid) as { id: number; patient_ref: number };
    const mr = mrAttributes(a);
    this.insertSeries.run({ ...a, ...mr, studyRef: study.id });
    const series = this.selectSeries.get(a.seriesInstanceUid) as { id: number };
    const view = a.viewCodes[0];
    this.insertInstanceRow.run({
      ...a,
      ...mr,
      seriesRef: series.id,
      objectKind: instance.objectKind,
      displayable: instance.displayable ? 1 : 0,
      transferSyntaxUid: instance.transferSyntaxUid,
      viewCodeValue: view?.codeValue ?? '',
      viewCodeScheme: view?.codingSchemeDesignator ?? '',
      viewCodeMeaning: view?.codeMeaning ?? '',
      viewModifierCodes: JSON.stringify(view?.modifiers ?? []),
      pixelSpacing: numbers(a.pixelSpacing),
      imagerPixelSpacing: numbers(a.imagerPixelSpacing),
      ermf: a.estimatedRadiographicMagnificationFactor,
      nominalScannedPixelSpacingText: numbers(a.nominalScannedPixelSpacing),
      imagePositionPatient: numbers(a.imagePositionPatient),
      imageOrientationPatient: numbers(a.imageOrientationPatient),
      originalAttributes: instance.originalAttributes,
      storeKey: instance.storeKey,
      fileSize: instance.fileSize,
      sessionId,
      sourcePath: instance.sourcePath,
      now,
    });
    return { studyId: study.id };
  }

  /** Records an instance that has no study to go in: stored, listed as unfiled, filed later by a person. */
  addUnfiled(unfiled: NewUnfiled, sessionId: number, now: string): void {
    const a = unfiled.instance.attributes;
    this.insertUnfiledRow.run({
      ...a,
      reason: unfiled.reason,
      studyUid: a.studyInstanceUid || null,
      seriesUid: a.seriesInstanceUid || null,
      objectKind: unfiled.instance.objectKind,
      displayable: unfiled.instance.displayable ? 1 : 0,
      transferSyntaxUid: unfiled.instance.transferSyntaxUid,
      originalAttributes: unfiled.instance.originalAttributes,
      storeKey: unfiled.instance.storeKey,
      fileSize: unfiled.instance.fileSize,
      sessionId,
      sourcePath: unfiled.instance.sourcePath,
      now,
    });
  }

  addConflict(conflict: NewConflict, sessionId: number, now: string): void {
    this.insertConflictRow.run(
      conflict.sopInstanceUid, conflict.kind, conflict.existingInstanceId, conflict.storeKey, conflict.fileSize, sessionId,
      conflict.sourcePath, conflict.differences, now,
    );
  }

  addOutcome(sessionId: number, record: FileOutcomeRecord): void {
    this.insertOutcomeRow.run(
      sessionId, record.path, record.outcome, record.reason, record.sopInstanceUid, record.sopClassUid,
      record.objectKind, record.bytes,
    );
    if (record.notes.length > 0) {
      this.insertNotesRow.run(sessionId, record.path, JSON.stringify(record.notes));
    } else {
      this.deleteNotesRow.run(sessionId, record.path);
    }
  }

  clearJournal(key: string): void {
    this.deleteJournal.run(key);
  }

  refreshSearch(studyId: number): void {
    this.deleteSearch.run(studyId);
    this.insertSearch.run(studyId);
  }

  recordSessionProgress(sessionId: number, filesSeen: number, bytesImported: number): void {
    this.updateSession.run(filesSeen, bytesImported, sessionId);
  }
}
