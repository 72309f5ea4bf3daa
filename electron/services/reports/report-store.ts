import type { Database } from 'better-sqlite3';
import type { z } from 'zod';
import { reportContentInputSchema } from '../../../shared/reports/content-input.ts';
import { communicationSchema, outcomeSchema, reportContentSchema, reportSchema } from '../../../shared/reports/report-model.ts';
import type { ReaderProfile, Report, ReportContent, ReportStatus } from '../../../shared/reports/report-model.ts';
import { emptyReportContent, outcomeSupports, reportFigures, signingBlockers, withProposedConcordance } from '../../../shared/reports/report-logic.ts';
import type { ReportFigures } from '../../../shared/reports/report-logic.ts';
import { withoutOrphanEntries } from '../../../shared/reports/draft-checks.ts';
import { recordAudit } from './audit.ts';
import type { Actor } from './audit.ts';
import { getReaderProfile } from './reader-profiles.ts';

/**
 * The second-opinion report's lifecycle in the library. Every change is one immediate transaction (the
 * library runs in WAL mode with synchronous FULL), so a crash or kill loses nothing committed, and the
 * checks it makes (revision, status) are read under the write lock another window would need. A draft names
 * the revision it edits, so a stale window cannot overwrite a newer save. Signing locks the content
 * (the service refuses, and a trigger of migration 0080 aborts the UPDATE as well); later changes are
 * addenda, each signed. Every step is in the audit trail with the OS user and the reader profile.
 */

export type ReportErrorCode = 'not-found' | 'conflict' | 'bad-request' | 'unavailable';

export class ReportError extends Error {
  constructor(
    readonly code: ReportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ReportError';
  }
}

export type Communication = z.infer<typeof communicationSchema>;
export type Outcome = z.infer<typeof outcomeSchema>;

export interface ReportSummary extends ReportFigures {
  id: number;
  studyInstanceUid: string;
  status: ReportStatus;
  revision: number;
  patientName: string;
  patientId: string;
  studyDate: string;
  createdAt: string;
  updatedAt: string;
  signedAt: string | null;
  /** A confirmed major discordance whose communication to the referring physician is not documented. */
  communicationOutstanding: boolean;
}

/**
 * Validates content on its way in, naming every problem; returns it with the proposal recomputed. What
 * the reader typed that does not pass a field's check travels in `invalidEntries` and is accepted here:
 * it blocks signing, never saving.
 */
function acceptContent(content: unknown): ReportContent {
  const parsed = reportContentInputSchema.safeParse(content);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 10).map((issue) => `${issue.path.join('.') || '(content)'}: ${issue.message}`);
    throw new ReportError('bad-request', `the report content is not valid: ${problems.join('; ')}`);
  }
  return withProposedConcordance(withoutOrphanEntries(parsed.data));
}

/** Content as stored, validated on its way out too: a row that does not parse is reported, never shown half-read. */
function storedContent(reportId: number, json: string): ReportContent {
  const parsed = reportContentSchema.safeParse(JSON.parse(json));
  if (!parsed.success) {
    throw new ReportError('unavailable', `report ${reportId}'s stored content does not match the report schema: ${parsed.error.issues[0]?.message ?? ''}`);
  }
  return parsed.data;
}

function figuresColumns(content: ReportContent): Record<string, string | null> {
  const figures = reportFigures(content);
  return {
    verdict: figures.verdict,
    proposedVerdict: figures.proposedVerdict,
    outsideAssessment: figures.outsideAssessment,
    secondAssessment: figures.secondOpinionAssessment,
  };
}

function templateForStudy(db: Database, studyInstanceUid: string): ReportContent['secondOpinion']['template'] {
  const mr = db
    .prepare(`SELECT EXISTS (SELECT 1 FROM series se JOIN studies st ON st.id = se.study_ref
      WHERE st.study_instance_uid = ? AND se.modality = 'MR') AS mr`)
    .get(studyInstanceUid) as { mr: number };
  return mr.mr ? 'birads-breast-mri' : 'birads-mammography';
}

/** Creates the study's report as a draft (one current report per study); returns its id. */
export function createReport(db: Database, studyInstanceUid: string, content: unknown, actor: Actor): number {
  const study = db.prepare('SELECT id FROM studies WHERE study_instance_uid = ?').get(studyInstanceUid);
  if (!study) {
    throw new ReportError('not-found', `No study ${studyInstanceUid} in the library`);
  }
  const accepted = content === undefined ? emptyReportContent(templateForStudy(db, studyInstanceUid)) : acceptContent(content);
  const now = new Date().toISOString();
  return db.transaction(() => {
    const existing = db.prepare('SELECT id FROM reports WHERE study_instance_uid = ?').get(studyInstanceUid) as { id: number } | undefined;
    if (existing) {
      throw new ReportError('conflict', `study ${studyInstanceUid} already has report ${existing.id}`);
    }
    const { lastInsertRowid } = db
      .prepare(`INSERT INTO reports (study_instance_uid, status, content, revision, verdict, proposed_verdict,
          outside_assessment, second_assessment, created_at, updated_at)
        VALUES (@studyInstanceUid, 'draft', @content, 1, @verdict, @proposedVerdict, @outsideAssessment, @secondAssessment, @now, @now)`)
      .run({ studyInstanceUid, content: JSON.stringify(accepted), ...figuresColumns(accepted), now });
    const id = Number(lastInsertRowid);
    recordAudit(db, id, 'created', actor, `draft created for study ${studyInstanceUid}${content === undefined ? '' : ' from given content'}`, now);
    return id;
  }).immediate();
}

interface ReportRow {
  id: number;
  studyInstanceUid: string;
  status: ReportStatus;
  content: string;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

interface SignatureRow {
  addendumId: number | null;
  profileId: string;
  name: string;
  credentials: string;
  signatureLine: string;
  institution: string;
  signedAt: string;
}

function reportRow(db: Database, reportId: number): ReportRow {
  const row = db
    .prepare(`SELECT id, study_instance_uid AS studyInstanceUid, status, content, revision, created_at AS createdAt,
        updated_at AS updatedAt FROM reports WHERE id = ?`)
    .get(reportId) as ReportRow | undefined;
  if (!row) {
    throw new ReportError('not-found', `No report ${reportId} in the library`);
  }
  return row;
}

/** The whole report: content, signature, signed addenda, communication, outcomes and exports. */
export function getReport(db: Database, reportId: number): Report {
  const row = reportRow(db, reportId);
  const signatures = db
    .prepare(`SELECT addendum_ref AS addendumId, profile_ref AS profileId, name, credentials, signature_line AS signatureLine,
        institution, signed_at AS signedAt FROM report_signatures WHERE report_ref = ? ORDER BY id`)
    .all(reportId) as SignatureRow[];
  const signatureOf = (addendumId: number | null): Report['signature'] => {
    const found = signatures.find((s) => s.addendumId === addendumId);
    return found
      ? { profileId: found.profileId, name: found.name, credentials: found.credentials, signatureLine: found.signatureLine, institution: found.institution, signedAt: found.signedAt }
      : null;
  };
  const addenda = (db.prepare('SELECT id, text FROM report_addenda WHERE report_ref = ? ORDER BY id').all(reportId) as { id: number; text: string }[])
    .map((addendum) => ({ ...addendum, signature: signatureOf(addendum.id) as NonNullable<Report['signature']> }));
  const communication = db
    .prepare(`SELECT to_whom AS "to", communicated_at AS "at", how, by_whom AS "by", note FROM report_communications
      WHERE report_ref = ? ORDER BY id DESC LIMIT 1`)
    .get(reportId) as Communication | undefined;
  const outcomes = db
    .prepare(`SELECT finding_id AS findingId, kind, result, outcome_date AS date, note, supports FROM report_outcomes
      WHERE report_ref = ? ORDER BY id`)
    .all(reportId) as Outcome[];
  const exports = db
    .prepare('SELECT kind, sop_instance_uid AS sopInstanceUid, created_at AS createdAt FROM report_exports WHERE report_ref = ? ORDER BY id')
    .all(reportId) as Report['exports'];
  return reportSchema.parse({
    id: row.id,
    studyInstanceUid: row.studyInstanceUid,
    status: row.status,
    content: storedContent(row.id, row.content),
    revision: row.revision,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    signature: signatureOf(null),
    addenda,
    communication: communication ?? null,
    outcomes,
    exports,
  });
}

/** The report as a reader opens it: read, and the opening recorded in the audit trail. */
export function openReport(db: Database, reportId: number, actor: Actor): Report {
  const report = getReport(db, reportId);
  recordAudit(db, reportId, 'opened', actor, `opened at revision ${report.revision} (${report.status})`);
  return report;
}

/**
 * Opens a report, or, in a library opened read-only (`readOnly` says why), shows it without recording
 * the opening, which cannot be written there, and says so in `auditNote`.
 */
export function openReportForReading(db: Database, reportId: number, actor: Actor, readOnly: string | null): { report: Report; auditNote: string | null } {
  if (readOnly === null) {
    return { report: openReport(db, reportId, actor), auditNote: null };
  }
  return {
    report: getReport(db, reportId),
    auditNote: `This opening is not in the audit trail: the library is read-only (${readOnly}).`,
  };
}

/** A confirmed major discordance asks for the communication to be documented; until it is, it is outstanding. */
export function isCommunicationOutstanding(report: Pick<Report, 'content' | 'communication'>): boolean {
  return report.content.concordance.confirmed === 'major' && report.communication === null;
}

type SummaryRow = Omit<ReportSummary, 'communicationOutstanding'> & { communicated: number };

export function listReports(db: Database, query: { studyInstanceUid?: string } = {}): ReportSummary[] {
  const rows = db
    .prepare(`SELECT r.id, r.study_instance_uid AS studyInstanceUid, r.status, r.revision, r.verdict,
        r.proposed_verdict AS proposedVerdict, r.outside_assessment AS outsideAssessment,
        r.second_assessment AS secondOpinionAssessment, p.patient_name AS patientName, p.patient_id AS patientId,
        st.study_date AS studyDate, r.created_at AS createdAt, r.updated_at AS updatedAt, r.signed_at AS signedAt,
        EXISTS (SELECT 1 FROM report_communications c WHERE c.report_ref = r.id) AS communicated
      FROM reports r JOIN studies st ON st.study_instance_uid = r.study_instance_uid JOIN patients p ON p.id = st.patient_ref
      WHERE (@study IS NULL OR r.study_instance_uid = @study)
      ORDER BY r.updated_at DESC, r.id DESC`)
    .all({ study: query.studyInstanceUid ?? null }) as SummaryRow[];
  return rows.map(({ communicated, ...row }) => ({ ...row, communicationOutstanding: row.verdict === 'major' && communicated === 0 }));
}

/**
 * Saves a draft: one transaction that refuses a stale revision (someone saved meanwhile) and a
 * report that is no longer a draft, recomputes the concordance proposal and appends the audit event.
 */
export function saveDraft(db: Database, request: { reportId: number; revision: number; content: unknown }, actor: Actor): { revision: number; content: ReportContent } {
  const content = acceptContent(request.content);
  const now = new Date().toISOString();
  return db.transaction(() => {
    const row = reportRow(db, request.reportId);
    if (row.status !== 'draft') {
      throw new ReportError('conflict', `report ${row.id} is ${row.status}: its content never changes; add an addendum instead`);
    }
    if (row.revision !== request.revision) {
      throw new ReportError(
        'conflict',
        `report ${row.id} was saved meanwhile (revision ${row.revision}; this edit is of revision ${request.revision}): reload it before saving`,
      );
    }
    const revision = row.revision + 1;
    db.prepare(`UPDATE reports SET content = @content, revision = @revision, verdict = @verdict, proposed_verdict = @proposedVerdict,
        outside_assessment = @outsideAssessment, second_assessment = @secondAssessment, updated_at = @now WHERE id = @id`)
      .run({ id: row.id, content: JSON.stringify(content), revision, ...figuresColumns(content), now });
    recordAudit(db, row.id, 'edited', actor, `saved revision ${revision}`, now);
    return { revision, content };
  }).immediate();
}

function signerOf(db: Database, profileId: string): ReaderProfile {
  const profile = getReaderProfile(db, profileId);
  if (!profile) {
    throw new ReportError('not-found', `No reader profile ${profileId}: add it first (concord readers add)`);
  }
  return profile;
}

function insertSignature(db: Database, reportId: number, addendumId: number | null, profileId: string, actor: Actor, now: string): void {
  const signer = signerOf(db, profileId);
  db.prepare(`INSERT INTO report_signatures (report_ref, addendum_ref, profile_ref, name, credentials, signature_line, institution, os_user, signed_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(reportId, addendumId, profileId, signer.name, signer.credentials, signer.signatureLine, signer.institution ?? '', actor.osUser, now);
}

/** Signs a draft with a reader profile: records who and when, and locks the content for good. */
export function signReport(db: Database, request: { reportId: number; profileId: string }, actor: Actor): Report {
  const now = new Date().toISOString();
  db.transaction(() => {
    const row = reportRow(db, request.reportId);
    if (row.status !== 'draft') {
      throw new ReportError('conflict', `report ${row.id} is already ${row.status}`);
    }
    const blockers = signingBlockers(storedContent(row.id, row.content));
    if (blockers.length > 0) {
      throw new ReportError('conflict', `report ${row.id} cannot be signed yet: ${blockers.join('; ')}`);
    }
    insertSignature(db, row.id, null, request.profileId, actor, now);
    db.prepare("UPDATE reports SET status = 'signed', signed_at = ?, updated_at = ? WHERE id = ?").run(now, now, row.id);
    recordAudit(db, row.id, 'signed', { ...actor, profileId: request.profileId }, `signed revision ${row.revision}`, now);
  }).immediate();
  return getReport(db, request.reportId);
}

/** A later change to a signed report: an addendum, signed as it is written; the report becomes amended. */
export function addAddendum(db: Database, request: { reportId: number; profileId: string; text: string }, actor: Actor): Report {
  const now = new Date().toISOString();
  db.transaction(() => {
    const row = reportRow(db, request.reportId);
    if (row.status === 'draft') {
      throw new ReportError('conflict', `report ${row.id} is a draft: edit it, or sign it before adding an addendum`);
    }
    const { lastInsertRowid } = db.prepare('INSERT INTO report_addenda (report_ref, text, created_at) VALUES (?, ?, ?)').run(row.id, request.text, now);
    insertSignature(db, row.id, Number(lastInsertRowid), request.profileId, actor, now);
    db.prepare("UPDATE reports SET status = 'amended', updated_at = ? WHERE id = ?").run(now, row.id);
    recordAudit(db, row.id, 'addendum', { ...actor, profileId: request.profileId }, `addendum ${Number(lastInsertRowid)} signed`, now);
  }).immediate();
  return getReport(db, request.reportId);
}

/** Documents the communication of the result to the referring physician (to whom, when, how, by whom). */
export function recordCommunication(db: Database, reportId: number, communication: Communication, actor: Actor): Report {
  const valid = communicationSchema.parse(communication);
  const now = new Date().toISOString();
  db.transaction(() => {
    reportRow(db, reportId);
    db.prepare(`INSERT INTO report_communications (report_ref, to_whom, communicated_at, how, by_whom, note, os_user, recorded_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(reportId, valid.to, valid.at, valid.how, valid.by, valid.note, actor.osUser, now);
    recordAudit(db, reportId, 'communication', actor, `communicated to ${valid.to} by ${valid.by} (${valid.how}) at ${valid.at}`, now);
  }).immediate();
  return getReport(db, reportId);
}

/**
 * Records a later pathology or follow-up outcome of a signed report; which reading it supported is
 * computed here, not typed, against the signed content (which never changes, so neither does that).
 */
export function recordOutcome(db: Database, reportId: number, outcome: Omit<Outcome, 'supports'>, actor: Actor): Report {
  const valid = outcomeSchema.omit({ supports: true }).parse(outcome);
  const now = new Date().toISOString();
  db.transaction(() => {
    const row = reportRow(db, reportId);
    if (row.status === 'draft') {
      throw new ReportError('conflict', `report ${row.id} is a draft: an outcome is recorded against the signed report`);
    }
    const content = storedContent(row.id, row.content);
    const knownIds = new Set([...content.secondOpinion.findings.map((f) => f.id), ...(content.outside.facts.findings ?? []).map((f) => f.id)]);
    if (valid.findingId !== null && !knownIds.has(valid.findingId)) {
      throw new ReportError('bad-request', `report ${row.id} has no finding ${valid.findingId}`);
    }
    const supports = outcomeSupports(content, valid);
    db.prepare(`INSERT INTO report_outcomes (report_ref, finding_id, kind, result, outcome_date, note, supports, os_user, recorded_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(row.id, valid.findingId, valid.kind, valid.result, valid.date, valid.note, supports, actor.osUser, now);
    recordAudit(db, row.id, 'outcome', actor, `${valid.kind} ${valid.result}${valid.findingId ? ` for finding ${valid.findingId}` : ''}: supports ${supports ?? 'neither reading in particular'}`, now);
  }).immediate();
  return getReport(db, reportId);
}

export interface KeyImage {
  sopInstanceUid: string;
  frame: number | null;
  caption: string;
  png: Buffer | null;
}

/**
 * Keeps the PNG the viewer captured for a key image (with its annotations), replacing an earlier
 * capture. Only while the report is a draft: the exports of a signed report show what was signed.
 */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Key images are embedded in the PDF and the SR as PNG: other bytes are refused, not carried along. */
function isPng(bytes: Buffer): boolean {
  return bytes.length >= PNG_SIGNATURE.length && bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE);
}

export function saveKeyImage(db: Database, reportId: number, image: KeyImage, actor: Actor): void {
  const now = new Date().toISOString();
  db.transaction(() => {
    const row = reportRow(db, reportId);
    if (row.status !== 'draft') {
      throw new ReportError('conflict', `report ${row.id} is ${row.status}: its key images are part of what was signed`);
    }
    const inStudy = db
      .prepare(`SELECT 1 FROM instances i JOIN series se ON se.id = i.series_ref JOIN studies st ON st.id = se.study_ref
        WHERE i.sop_instance_uid = ? AND st.study_instance_uid = ?`)
      .get(image.sopInstanceUid, row.studyInstanceUid);
    if (!inStudy) {
      throw new ReportError('bad-request', `${image.sopInstanceUid} is not an instance of study ${row.studyInstanceUid}`);
    }
    if (image.png !== null && !isPng(image.png)) {
      throw new ReportError('bad-request', 'the key image is not a PNG (it does not start with the PNG signature)');
    }
    db.prepare(`INSERT INTO report_key_images (report_ref, sop_instance_uid, frame, png, caption, captured_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (report_ref, sop_instance_uid, coalesce(frame, 0)) DO UPDATE SET png = excluded.png, caption = excluded.caption,
          captured_at = excluded.captured_at`)
      .run(reportId, image.sopInstanceUid, image.frame, image.png, image.caption, now);
    recordAudit(db, reportId, 'key-image', actor, `key image ${image.sopInstanceUid}${image.frame ? ` frame ${image.frame}` : ''} captured`, now);
  }).immediate();
}

export function listKeyImages(db: Database, reportId: number): KeyImage[] {
  return db
    .prepare('SELECT sop_instance_uid AS sopInstanceUid, frame, caption, png FROM report_key_images WHERE report_ref = ? ORDER BY id')
    .all(reportId) as KeyImage[];
}
