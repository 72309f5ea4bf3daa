import { rmSync, writeFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { LibraryError } from '../library/database.ts';
import type { Library } from '../library/database.ts';
import { addGeneratedInstance } from '../library/generated-instance.ts';
import { uuidDerivedUid } from '../library/unfiled.ts';
import { recordAudit } from './audit.ts';
import type { Actor } from './audit.ts';
import { buildEncapsulatedPdf, buildReportPdf, buildReportSr, buildReportText } from './exports.ts';
import type { ExportContext, ReferencedInstance } from './exports.ts';
import { ReportError, getReport, listKeyImages } from './report-store.ts';

/**
 * A signed report's exports: the SR and the Encapsulated PDF go into the library as part of the
 * study (new UIDs, recorded in report_exports), and any of PDF, SR, Encapsulated PDF and plain text
 * can also be written to files. Every export is in the audit trail.
 */

export const LIBRARY_EXPORT_KINDS = ['sr', 'encapsulated-pdf'] as const;
export type LibraryExportKind = (typeof LIBRARY_EXPORT_KINDS)[number];

interface StudyRow {
  name: string;
  patientId: string;
  issuer: string;
  birthDate: string;
  sex: string;
  studyDate: string;
  studyTime: string;
  accessionNumber: string;
  studyDescription: string;
  studyId: string;
  referringPhysicianName: string;
  institutionName: string;
  modalities: string | null;
}

/** Everything an export shows, read from the library: the report, its study and patient, its key images. */
export function exportContext(db: Database, reportId: number, generatedAt = new Date()): ExportContext {
  const report = getReport(db, reportId);
  const row = db
    .prepare(`SELECT p.patient_name AS name, p.patient_id AS patientId, p.issuer_of_patient_id AS issuer, p.birth_date AS birthDate,
        p.sex, st.study_date AS studyDate, st.study_time AS studyTime, st.accession_number AS accessionNumber,
        st.study_description AS studyDescription, st.study_id AS studyId, st.referring_physician_name AS referringPhysicianName,
        st.institution_name AS institutionName,
        (SELECT group_concat(DISTINCT se.modality) FROM series se WHERE se.study_ref = st.id
          AND se.series_instance_uid NOT IN (SELECT series_instance_uid FROM report_exports)) AS modalities
      FROM studies st JOIN patients p ON p.id = st.patient_ref WHERE st.study_instance_uid = ?`)
    .get(report.studyInstanceUid) as StudyRow;
  const captured = listKeyImages(db, reportId);
  const keyImages = report.content.secondOpinion.keyImages.map((reference) => ({
    reference,
    png: captured.find((image) => image.sopInstanceUid === reference.sopInstanceUid && image.frame === reference.frame)?.png ?? null,
  }));
  const { name, patientId, issuer, birthDate, sex, modalities, ...study } = row;
  return {
    report,
    patient: { name, patientId, issuer, birthDate, sex },
    study: { ...study, studyInstanceUid: report.studyInstanceUid, modalities: (modalities ?? '').split(',').filter(Boolean) },
    keyImages,
    generatedAt,
    studyInstances: referencedInstances(db, report.studyInstanceUid, report.content.outside.sourceDocumentUid),
  };
}

/** The study's instances, and the outside report's document with its own study when it is filed in another. */
function referencedInstances(db: Database, studyInstanceUid: string, sourceDocumentUid: string | null): ReferencedInstance[] {
  const rows = db
    .prepare(`SELECT i.sop_instance_uid AS sopInstanceUid, i.sop_class_uid AS sopClassUid, se.series_instance_uid AS seriesInstanceUid,
        st.study_instance_uid AS studyInstanceUid
      FROM instances i JOIN series se ON se.id = i.series_ref JOIN studies st ON st.id = se.study_ref
      WHERE st.study_instance_uid = @study OR i.sop_instance_uid = @source
      ORDER BY st.study_instance_uid <> @study, se.series_number, i.instance_number, i.id`)
    .all({ study: studyInstanceUid, source: sourceDocumentUid }) as Required<ReferencedInstance>[];
  return rows.map(({ studyInstanceUid: owner, ...instance }) => (owner === studyInstanceUid ? instance : { ...instance, studyInstanceUid: owner }));
}

function requireSigned(ctx: ExportContext): void {
  if (ctx.report.status === 'draft') {
    throw new ReportError('conflict', `report ${ctx.report.id} is a draft: only a signed report is exported`);
  }
}

export interface LibraryExport {
  kind: LibraryExportKind;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  /** The object's bytes as stored, for writing a copy to a file. */
  bytes: Buffer;
}

interface PreparedExport {
  kind: LibraryExportKind;
  uids: { studyInstanceUid: string; seriesInstanceUid: string; sopInstanceUid: string };
  bytes: Buffer;
}

/** Every DICOM object asked for, built before any is stored: a refusal (an ID DICOM cannot carry) leaves nothing behind. */
async function prepareExports(ctx: ExportContext, kinds: readonly LibraryExportKind[]): Promise<PreparedExport[]> {
  const pdf = kinds.includes('encapsulated-pdf') ? await buildReportPdf(ctx) : null;
  return [...new Set(kinds)].map((kind) => {
    const uids = { studyInstanceUid: ctx.report.studyInstanceUid, seriesInstanceUid: uuidDerivedUid(), sopInstanceUid: uuidDerivedUid() };
    return { kind, uids, bytes: kind === 'sr' ? buildReportSr(ctx, uids) : buildEncapsulatedPdf(ctx, pdf as Buffer, uids) };
  });
}

async function storeExports(library: Library, reportId: number, prepared: readonly PreparedExport[], actor: Actor): Promise<LibraryExport[]> {
  const results: LibraryExport[] = [];
  for (const { kind, uids, bytes } of prepared) {
    const stored = await addGeneratedInstance(library, bytes, uids.studyInstanceUid, `concord report ${reportId} ${kind}`, (instance) => {
      const now = new Date().toISOString();
      library.db.prepare('INSERT INTO report_exports (report_ref, kind, sop_instance_uid, series_instance_uid, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(reportId, kind, instance.sopInstanceUid, instance.seriesInstanceUid, now);
      recordAudit(library.db, reportId, 'exported', actor, `${kind} ${instance.sopInstanceUid} written into the library`, now);
    }).catch((error: unknown) => {
      // An import holds the store, or the object cannot join its study: refused, nothing indexed.
      throw error instanceof LibraryError ? new ReportError('conflict', `the ${kind} cannot be written into the library: ${error.message}`) : error;
    });
    results.push({ kind, sopInstanceUid: stored.sopInstanceUid, seriesInstanceUid: stored.seriesInstanceUid, bytes });
  }
  return results;
}

/** Writes the SR and/or Encapsulated PDF of a signed report into the library, each a new series of the study. */
export async function exportIntoLibrary(
  library: Library,
  reportId: number,
  kinds: readonly LibraryExportKind[],
  actor: Actor,
): Promise<LibraryExport[]> {
  const ctx = exportContext(library.db, reportId);
  requireSigned(ctx);
  return storeExports(library, reportId, await prepareExports(ctx, kinds), actor);
}

export interface FileExportRequest {
  pdf?: string;
  sr?: string;
  encapsulatedPdf?: string;
  text?: string;
}

/**
 * Writes a signed report's exports to files. The SR and the Encapsulated PDF written to a file are
 * the very objects written into the library (same UIDs): a DICOM object exists once, wherever it goes.
 */
export async function exportToFiles(
  library: Library,
  reportId: number,
  request: FileExportRequest,
  actor: Actor,
): Promise<{ kind: string; path: string; sopInstanceUid: string | null }[]> {
  const ctx = exportContext(library.db, reportId);
  requireSigned(ctx);
  const written: { kind: string; path: string; sopInstanceUid: string | null }[] = [];
  const note = (kind: string, path: string): void => {
    recordAudit(library.db, reportId, 'exported', actor, `${kind} written to a file`);
    written.push({ kind, path, sopInstanceUid: null });
  };
  if (request.text) {
    writeFileSync(request.text, buildReportText(ctx), 'utf8');
    note('text', request.text);
  }
  if (request.pdf) {
    writeFileSync(request.pdf, await buildReportPdf(ctx));
    note('pdf', request.pdf);
  }
  const dicom: [LibraryExportKind, string | undefined][] = [['sr', request.sr], ['encapsulated-pdf', request.encapsulatedPdf]];
  const kinds = dicom.filter(([, path]) => path).map(([kind]) => kind);
  if (kinds.length > 0) {
    // The files are written first and the objects stored after: a file that cannot be written (a
    // missing folder, a full disk) leaves no new object in the library, and a store that refuses
    // takes the files it would have matched back out.
    const prepared = await prepareExports(ctx, kinds);
    const paths = prepared.map(({ kind }) => dicom.find(([candidate]) => candidate === kind)?.[1] as string);
    const made: string[] = [];
    try {
      prepared.forEach(({ bytes }, index) => {
        writeFileSync(paths[index] as string, bytes);
        made.push(paths[index] as string);
      });
      const stored = await storeExports(library, reportId, prepared, actor);
      stored.forEach((exported, index) => written.push({ kind: exported.kind, path: paths[index] as string, sopInstanceUid: exported.sopInstanceUid }));
    } catch (error) {
      for (const path of made) {
        rmSync(path, { force: true });
      }
      throw error;
    }
  }
  return written;
}
