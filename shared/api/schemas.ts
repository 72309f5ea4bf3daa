import { z } from 'zod';
import { API_ERROR_CODES } from './errors.ts';
import { FILE_OUTCOMES, IMPORT_QUIRKS, IMPORT_STATUSES } from '../import/outcomes.ts';
import { instanceDocumentSchema } from './document-schema.ts';
import { hangingRequestSchema, resolvedLayoutSchema } from '../hanging/layout.ts';
import { hangingPreferencesSchema, protocolSchema } from '../hanging/protocol.ts';
import { FACTORY_PROTOCOLS } from '../hanging/protocols/index.ts';
import { biradsCategorySchema } from '../reports/birads.ts';
import { CONCORDANCE_VERDICTS } from '../reports/concordance.ts';
import { OVERVIEW_GROUPINGS } from '../reports/overview.ts';
import { reportContentInputSchema } from '../reports/content-input.ts';
import { REPORT_STATUSES, communicationSchema, outcomeSchema, readerProfileSchema, reportContentSchema, reportSchema } from '../reports/report-model.ts';

/**
 * Runtime schemas for everything that crosses a transport. Requests are strict: unknown fields are
 * refused, so a typo never passes silently. Text is bounded: nothing unbounded reaches a service.
 */
const path = z.string().min(1).max(4096).refine((value) => !value.includes('\0'), 'path contains a NUL character');
const id = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'not a job id');
/** A DICOM UID: digits and dots, at most 64 characters. */
export const uid = z.string().regex(/^[0-9.]{1,64}$/, 'not a DICOM UID');

export const objectKindSchema = z.enum([
  'image', 'structured-report', 'key-object-selection', 'encapsulated-document', 'presentation-state', 'radiotherapy',
  'waveform', 'segmentation', 'raw-data', 'spectroscopy', 'media-directory', 'private', 'other',
]);

export const fileOutcomeRecordSchema = z.object({
  path: z.string(),
  outcome: z.enum(FILE_OUTCOMES),
  reason: z.string().nullable(),
  sopInstanceUid: z.string().nullable(),
  sopClassUid: z.string().nullable(),
  objectKind: objectKindSchema.nullable(),
  bytes: z.number().nullable(),
  notes: z.array(z.object({ quirk: z.enum(IMPORT_QUIRKS), detail: z.string() })),
});

export const importProgressSchema = z.object({
  sessionId: z.number().int(),
  phase: z.enum(['discovering', 'importing', 'finishing']),
  filesFound: z.number().int().nonnegative(),
  filesProcessed: z.number().int().nonnegative(),
  instancesImported: z.number().int().nonnegative(),
  instancesIndexed: z.number().int().nonnegative(),
  bytesTotal: z.number().nonnegative(),
  bytesProcessed: z.number().nonnegative(),
  bytesPerSecond: z.number().nonnegative(),
  secondsLeft: z.number().nonnegative().nullable(),
});

const countsSchema = z.object(Object.fromEntries(FILE_OUTCOMES.map((o) => [o, z.number().int().nonnegative()])) as Record<
  (typeof FILE_OUTCOMES)[number],
  z.ZodNumber
>);

export const importSummarySchema = z.object({
  sessionId: z.number().int(),
  source: z.string(),
  status: z.enum(IMPORT_STATUSES),
  statusReason: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number(),
  filesSeen: z.number().int(),
  counts: countsSchema,
  bytesImported: z.number(),
  problems: z.array(fileOutcomeRecordSchema),
  conflicts: z.array(fileOutcomeRecordSchema),
  quirked: z.array(fileOutcomeRecordSchema),
  unfiled: z.array(fileOutcomeRecordSchema),
  nonImageInstances: z.array(fileOutcomeRecordSchema),
  outsideReports: z.array(fileOutcomeRecordSchema),
  earlierImports: z.array(z.object({ sessionId: z.number().int(), source: z.string(), startedAt: z.string(), instances: z.number().int() })),
  possibleMatches: z.array(z.object({ proposalId: z.number().int(), localPatientId: z.number().int(), patientName: z.string(), patientId: z.string() })),
  studies: z.array(z.object({
    studyInstanceUid: z.string(),
    patientName: z.string(),
    patientId: z.string(),
    studyDate: z.string(),
    studyDescription: z.string(),
    modalities: z.array(z.string()),
    instances: z.number().int(),
  })),
});

export const jobStatusSchema = z.enum(IMPORT_STATUSES);

export const jobSchema = z.object({
  id,
  kind: z.literal('import'),
  source: z.string(),
  status: jobStatusSchema,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  cancelRequested: z.boolean(),
  progress: importProgressSchema.nullable(),
  summary: importSummarySchema.nullable(),
  error: z.string().nullable(),
});

export const studySchema = z.object({
  studyInstanceUid: z.string(),
  patientName: z.string(),
  patientId: z.string(),
  issuerOfPatientId: z.string(),
  patientBirthDate: z.string(),
  patientSex: z.string(),
  studyDate: z.string(),
  studyTime: z.string(),
  accessionNumber: z.string(),
  studyDescription: z.string(),
  modalities: z.array(z.string()),
  seriesCount: z.number().int(),
  instanceCount: z.number().int(),
  nonImageInstanceCount: z.number().int(),
  /** The local patient the study's outside identity belongs to (see listPatients). */
  localPatientId: z.number().int(),
  localPatientName: z.string(),
  /** Open link proposals for the study's identity: not yet reconciled. */
  openProposals: z.number().int().nonnegative(),
  /** The second-opinion report's status ('unread': none yet) and its confirmed concordance verdict. */
  reportStatus: z.enum(['unread', 'draft', 'signed', 'amended']),
  verdict: z.enum(['concordant', 'minor', 'major']).nullable(),
});

const importRefSchema = z.object({ sessionId: z.number().int(), source: z.string(), startedAt: z.string() });

/** An outside identity exactly as received, with where it came from. */
export const identitySchema = z.object({
  id: z.number().int(),
  localPatientId: z.number().int(),
  patientId: z.string(),
  issuer: z.string(),
  name: z.string(),
  birthDate: z.string(),
  sex: z.string(),
  facilities: z.array(z.string()),
  imports: z.array(importRefSchema),
});

/** A local patient: the identities linked to it and its studies across facilities, oldest first. */
export const localPatientSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  birthDate: z.string(),
  sex: z.string(),
  identities: z.array(identitySchema),
  studies: z.array(z.object({
    studyInstanceUid: z.string(),
    studyDate: z.string(),
    studyTime: z.string(),
    modalities: z.array(z.string()),
    facility: z.string(),
    studyDescription: z.string(),
    identityId: z.number().int(),
    importedBy: importRefSchema.nullable(),
  })),
});

export const evidenceSchema = z.object({
  attribute: z.enum(['name', 'birthDate', 'sex', 'patientId', 'issuer', 'otherPatientIds']),
  values: z.tuple([z.string(), z.string()]),
  agrees: z.boolean().nullable(),
  note: z.string(),
});

export const proposalSchema = z.object({
  id: z.number().int(),
  status: z.enum(['open', 'accepted', 'rejected', 'undone']),
  identities: z.array(identitySchema),
  evidence: z.array(evidenceSchema),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
});

export const instanceSchema = z.object({
  sopInstanceUid: z.string(),
  sopClassUid: z.string(),
  objectKind: objectKindSchema,
  displayable: z.boolean(),
  instanceNumber: z.number().nullable(),
  numberOfFrames: z.number().int(),
  rows: z.number().int().nullable(),
  columns: z.number().int().nullable(),
  imageLaterality: z.string(),
  viewPosition: z.string(),
  viewCodeMeaning: z.string(),
  patientOrientation: z.string(),
  imagePositionPatient: z.string().nullable(),
  imageOrientationPatient: z.string().nullable(),
  documentTitle: z.string(),
  /** The header values Concord's calibration rules need (shared/dicom/calibration.ts). */
  calibration: z.object({
    pixelSpacing: z.array(z.number()).nullable(),
    imagerPixelSpacing: z.array(z.number()).nullable(),
    estimatedRadiographicMagnificationFactor: z.number().nullable(),
    pixelSpacingCalibrationType: z.string().nullable(),
    nominalScannedPixelSpacing: z.array(z.number()).nullable(),
  }),
});

export const seriesSchema = z.object({
  seriesInstanceUid: z.string(),
  modality: z.string(),
  seriesNumber: z.number().nullable(),
  seriesDescription: z.string(),
  bodyPartExamined: z.string(),
  laterality: z.string(),
  instances: z.array(instanceSchema),
});

/** An instance stored but in no study (no Study or Series Instance UID): the "needs attention" list. */
export const unfiledInstanceSchema = z.object({
  sopInstanceUid: z.string(),
  reason: z.string(),
  patientId: z.string(),
  patientName: z.string(),
  patientBirthDate: z.string(),
  patientSex: z.string(),
  /** As received; null when the file has none. */
  studyInstanceUid: z.string().nullable(),
  seriesInstanceUid: z.string().nullable(),
  modality: z.string(),
  sopClassUid: z.string(),
  objectKind: objectKindSchema,
  importSessionId: z.number().int().nullable(),
  /** The file's path on the media it came from. */
  source: z.string(),
  importedAt: z.string(),
  /** Studies of the same patient identity it can be filed into without overriding it. */
  candidates: z.array(z.object({
    studyInstanceUid: z.string(),
    studyDate: z.string(),
    studyDescription: z.string(),
    modalities: z.array(z.string()),
  })),
});

export const filingResultSchema = z.object({
  sopInstanceUid: z.string(),
  studyInstanceUid: z.string(),
  seriesInstanceUid: z.string(),
  studyCreated: z.boolean(),
  studyUidGenerated: z.boolean(),
  seriesCreated: z.boolean(),
  seriesUidGenerated: z.boolean(),
  otherPatientConfirmed: z.boolean(),
  filedBy: z.string(),
  filedAt: z.string(),
});

const reportId = z.number().int().positive();
/** A reader profile's id. On a request that does not sign, optional: the reader at the screen, for the audit trail. */
const profileId = readerProfileSchema.shape.id;
const confirmedVerdictSchema = z.enum(['concordant', 'minor', 'major']);

/** A report as the report list shows it. */
export const reportSummarySchema = z.object({
  id: z.number().int(),
  studyInstanceUid: z.string(),
  status: z.enum(REPORT_STATUSES),
  revision: z.number().int(),
  /** The radiologist's confirmed verdict; null until confirmed. */
  verdict: confirmedVerdictSchema.nullable(),
  proposedVerdict: z.enum(CONCORDANCE_VERDICTS),
  outsideAssessment: biradsCategorySchema.nullable(),
  secondOpinionAssessment: biradsCategorySchema.nullable(),
  patientName: z.string(),
  patientId: z.string(),
  studyDate: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  signedAt: z.string().nullable(),
  /** A confirmed major discordance whose communication to the referring physician is not documented yet. */
  communicationOutstanding: z.boolean(),
});

export const auditEventSchema = z.object({
  id: z.number().int(),
  reportId: z.number().int().nullable(),
  action: z.enum(['created', 'opened', 'edited', 'signed', 'addendum', 'exported', 'communication', 'outcome', 'key-image', 'profile', 'orientation']),
  osUser: z.string(),
  profileId: z.string().nullable(),
  at: z.string(),
  detail: z.string(),
});

/** A report document that came on the media with the study (open it with getDocument). */
export const outsideReportDocumentSchema = z.object({
  sopInstanceUid: z.string(),
  sopClassUid: z.string(),
  kind: z.enum(['structured-report', 'encapsulated-document', 'scanned-image']),
  title: z.string(),
  seriesDescription: z.string(),
  modality: z.string(),
  contentDate: z.string(),
});

const verdictCountsSchema = z.object({
  key: z.string(),
  total: z.number().int(),
  concordant: z.number().int(),
  minor: z.number().int(),
  major: z.number().int(),
  concordantRate: z.number(),
  minorRate: z.number(),
  majorRate: z.number(),
});

export const concordanceOverviewSchema = z.object({
  groupBy: z.enum(OVERVIEW_GROUPINGS),
  all: verdictCountsSchema,
  groups: z.array(verdictCountsSchema),
  timeSeries: z.array(verdictCountsSchema),
  matrix: z.array(z.object({ outside: z.string(), secondOpinion: z.string(), count: z.number().int() })),
  discordantOutcomes: z.object({ outside: z.number().int(), 'second-opinion': z.number().int(), both: z.number().int(), neither: z.number().int() }),
});

/** A local calendar date, YYYY-MM-DD. */
const calendarDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a date as YYYY-MM-DD');

/** One counted case of the overview, with the report and study behind it. */
export const overviewCaseSchema = z.object({
  reportId: z.number().int(),
  studyInstanceUid: z.string(),
  patientName: z.string(),
  patientId: z.string(),
  studyDate: z.string(),
  readerId: z.string(),
  readerName: z.string(),
  modalities: z.array(z.string()),
  facility: z.string(),
  signedAt: z.string(),
  verdict: z.enum(['concordant', 'minor', 'major']),
  outsideAssessment: biradsCategorySchema.nullable(),
  secondOpinionAssessment: biradsCategorySchema.nullable(),
  outcomeSupports: z.array(z.enum(['outside', 'second-opinion', 'both', 'neither']).nullable()),
});

export const volumeSchema = z.object({ path: z.string(), label: z.string() });
export const folderEntrySchema = z.object({ name: z.string(), path: z.string(), kind: z.enum(['folder', 'file']) });

const protocolId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a protocol id: lower-case letters, digits and dashes');

/** A protocol the reader saves: level "user", under an id no factory protocol has. */
const userProtocolSchema = protocolSchema
  .refine((protocol) => protocol.level === 'user', { message: 'a saved protocol has level "user"', path: ['level'] })
  .refine((protocol) => !FACTORY_PROTOCOLS.some((factory) => factory.id === protocol.id), {
    message: 'that id belongs to a factory protocol',
    path: ['id'],
  });

/** Every method: its request and response schema. The single source of truth for all transports. */
export const API_METHODS = {
  startImport: {
    /** `confirmed`: the person was asked and wants a folder that does not look like a medium imported. */
    request: z.strictObject({ path, confirmed: z.boolean().optional() }),
    response: z.object({ job: jobSchema }),
  },
  cancelJob: {
    request: z.strictObject({ jobId: id }),
    response: z.object({ job: jobSchema }),
  },
  getJob: {
    request: z.strictObject({ jobId: id }),
    response: z.object({ job: jobSchema }),
  },
  listJobs: {
    request: z.strictObject({}),
    response: z.object({ jobs: z.array(jobSchema) }),
  },
  listImportOutcomes: {
    request: z.strictObject({
      sessionId: z.number().int().positive(),
      problemsOnly: z.boolean().optional(),
      offset: z.number().int().nonnegative().optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    }),
    response: z.object({ outcomes: z.array(fileOutcomeRecordSchema), total: z.number().int() }),
  },
  listStudies: {
    request: z.strictObject({
      text: z.string().max(256).optional(),
      /** Study dates as DICOM DA (YYYYMMDD), inclusive. */
      dateFrom: z.string().regex(/^\d{8}$/, 'a date as YYYYMMDD').optional(),
      dateTo: z.string().regex(/^\d{8}$/, 'a date as YYYYMMDD').optional(),
      modality: z.string().regex(/^[A-Z]{1,16}$/, 'a modality code such as MG').optional(),
      limit: z.number().int().min(1).max(100000).optional(),
    }),
    response: z.object({ studies: z.array(studySchema) }),
  },
  getStudy: {
    request: z.strictObject({ studyInstanceUid: uid }),
    response: z.object({
      study: studySchema,
      series: z.array(seriesSchema),
      /** The same local patient's other studies, under every linked identity: the candidate priors. */
      otherStudies: z.array(studySchema),
      /** The import sessions the study's instances came from. */
      importedFrom: z.array(z.object({ sessionId: z.number().int(), source: z.string(), startedAt: z.string() })),
    }),
  },
  /** A non-image instance as a document: an SR's content tree, a PDF's facts, or what the object is. */
  getDocument: {
    request: z.strictObject({ sopInstanceUid: uid }),
    response: z.object({ document: instanceDocumentSchema }),
  },
  /** Every local patient; an identity never linked to another is a patient of its own. */
  listPatients: {
    request: z.strictObject({}),
    response: z.object({ patients: z.array(localPatientSchema) }),
  },
  /** One local patient with the open link proposals that touch it. */
  getPatient: {
    request: z.strictObject({ patientId: z.number().int().positive() }),
    response: z.object({ patient: localPatientSchema, proposals: z.array(proposalSchema) }),
  },
  /** Open link proposals; `propose` first compares the library's identities again (on demand). */
  listProposals: {
    request: z.strictObject({ propose: z.boolean().optional() }),
    response: z.object({ proposals: z.array(proposalSchema) }),
  },
  /** A person's decision on a proposal, recorded with who and when. Accept joins the two local patients. */
  decideProposal: {
    request: z.strictObject({ proposalId: z.number().int().positive(), decision: z.enum(['accept', 'reject']) }),
    response: z.object({ localPatientId: z.number().int().nullable() }),
  },
  /** Undoes a link: the identity leaves the local patient and becomes a patient of its own. */
  undoLink: {
    request: z.strictObject({ patientId: z.number().int().positive(), identityId: z.number().int().positive() }),
    response: z.object({ localPatientId: z.number().int() }),
  },
  listUnfiled: {
    request: z.strictObject({}),
    response: z.object({ unfiled: z.array(unfiledInstanceSchema) }),
  },
  /**
   * Files an unfiled instance into an existing study (`studyInstanceUid`) or a new one (`newStudy`).
   * A study of another patient identity is refused (`conflict`) unless `otherPatient` confirms it.
   */
  fileInstance: {
    request: z
      .strictObject({
        sopInstanceUid: uid,
        studyInstanceUid: uid.optional(),
        newStudy: z.literal(true).optional(),
        otherPatient: z.boolean().optional(),
      })
      .refine((r) => (r.studyInstanceUid === undefined) !== (r.newStudy === undefined), 'either studyInstanceUid or newStudy'),
    response: z.object({ filed: filingResultSchema }),
  },
  /** The resolved layout of one stage of a study (protocol, stage and prior as asked, else the engine's choice). */
  getHanging: {
    request: hangingRequestSchema.extend({ studyInstanceUid: uid }),
    response: z.object({ layout: resolvedLayoutSchema }),
  },
  /** Factory protocols, then the reader's, in order; and the reader's hanging preferences. */
  listProtocols: {
    request: z.strictObject({}),
    response: z.object({ protocols: z.array(protocolSchema), preferences: hangingPreferencesSchema }),
  },
  /** Creates or replaces a user protocol (kept in the library). */
  saveProtocol: {
    request: z.strictObject({ protocol: userProtocolSchema }),
    response: z.object({ protocol: protocolSchema }),
  },
  deleteProtocol: {
    request: z.strictObject({ id: protocolId }),
    response: z.object({}),
  },
  /** The reader's order of the user protocols: each of their ids exactly once. */
  reorderProtocols: {
    request: z.strictObject({ ids: z.array(protocolId).max(1000) }),
    response: z.object({ protocols: z.array(protocolSchema) }),
  },
  setHangingPreferences: {
    request: z.strictObject({ preferences: hangingPreferencesSchema }),
    response: z.object({ preferences: hangingPreferencesSchema }),
  },
  /**
   * The reader's orientation choice for a mammogram whose header and pixels disagree: she flips or
   * keeps it, which names the stored edge that is the chest wall; kept in the library and audited.
   */
  chooseOrientation: {
    request: z.strictObject({ sopInstanceUid: uid, chestWallSide: z.enum(['left', 'right']), choice: z.enum(['flip', 'keep']), profileId: profileId.optional() }),
    response: z.object({ sopInstanceUid: z.string(), chestWallSide: z.enum(['left', 'right']), chosenAt: z.string() }),
  },
  /** Second-opinion reports, newest first; of one study when it is named. */
  listReports: {
    request: z.strictObject({ studyInstanceUid: uid.optional() }),
    response: z.object({ reports: z.array(reportSummarySchema) }),
  },
  /** Opens a report (recorded in its audit trail): its content, signature, addenda, communication, outcomes, exports. */
  getReport: {
    request: z.strictObject({ reportId, profileId: profileId.optional() }),
    response: z.object({
      report: reportSchema,
      communicationOutstanding: z.boolean(),
      audit: z.array(auditEventSchema),
      /** Present when this opening was not recorded in the audit trail (a read-only library), saying why. */
      auditNote: z.string().optional(),
    }),
  },
  /** A study's draft report, empty or from given content; one report per study. */
  createReport: {
    request: z.strictObject({ studyInstanceUid: uid, content: reportContentInputSchema.optional(), profileId: profileId.optional() }),
    response: z.object({ report: reportSchema }),
  },
  /** Saves a draft's content; refused (conflict) when `revision` is not the report's current one. */
  saveDraft: {
    request: z.strictObject({ reportId, revision: z.number().int().positive(), content: reportContentInputSchema, profileId: profileId.optional() }),
    response: z.object({ revision: z.number().int(), content: reportContentSchema }),
  },
  /** Signs a draft whose verdict is confirmed, with a reader profile; the content is locked from then on. */
  signReport: {
    request: z.strictObject({ reportId, profileId }),
    response: z.object({ report: reportSchema }),
  },
  /** A signed addendum to a signed report. */
  addAddendum: {
    request: z.strictObject({ reportId, profileId, text: z.string().min(1).max(20000) }),
    response: z.object({ report: reportSchema }),
  },
  listReaderProfiles: {
    request: z.strictObject({}),
    response: z.object({ profiles: z.array(readerProfileSchema) }),
  },
  saveReaderProfile: {
    request: z.strictObject({ profile: readerProfileSchema }),
    response: z.object({ profile: readerProfileSchema }),
  },
  /** Documents the communication of the result to the referring physician. */
  recordCommunication: {
    request: z.strictObject({ reportId, communication: communicationSchema, profileId: profileId.optional() }),
    response: z.object({ report: reportSchema }),
  },
  /** A pathology or follow-up outcome; which reading it supports is computed. */
  recordOutcome: {
    request: z.strictObject({ reportId, outcome: outcomeSchema.omit({ supports: true }), profileId: profileId.optional() }),
    response: z.object({ report: reportSchema }),
  },
  /** Keeps the PNG the viewer captured for a key image (base64, at most 16 MB). */
  saveKeyImage: {
    request: z.strictObject({
      reportId,
      sopInstanceUid: uid,
      frame: z.number().int().min(1).nullable(),
      caption: z.string().max(200),
      pngBase64: z.string().max(16 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64').nullable(),
    }),
    response: z.object({}),
  },
  /** Writes a signed report's SR and/or Encapsulated PDF into the library as part of its study. */
  exportReport: {
    request: z.strictObject({ reportId, kinds: z.array(z.enum(['sr', 'encapsulated-pdf'])).min(1).max(2), profileId: profileId.optional() }),
    response: z.object({ exports: z.array(z.object({ kind: z.enum(['sr', 'encapsulated-pdf']), sopInstanceUid: z.string(), seriesInstanceUid: z.string() })) }),
  },
  /** The report documents that came on the media with a study: text SR, encapsulated documents, scanned pages. */
  listOutsideReports: {
    request: z.strictObject({ studyInstanceUid: uid }),
    response: z.object({ documents: z.array(outsideReportDocumentSchema) }),
  },
  /** Counts and rates of verdicts by modality, facility or period; the category matrix; months; and the same as CSV. */
  concordanceOverview: {
    /** Optional filters: signed from and to (local dates, both included) and by one reader profile. */
    request: z.strictObject({
      groupBy: z.enum(OVERVIEW_GROUPINGS),
      from: calendarDate.optional(),
      to: calendarDate.optional(),
      reader: z.string().min(1).max(64).optional(),
    }),
    /** `cases`: the counted cases, each count's list is drawn from; `readers`: every reader who signed one. */
    response: z.object({
      overview: concordanceOverviewSchema,
      csv: z.string(),
      cases: z.array(overviewCaseSchema),
      readers: z.array(z.object({ id: z.string(), name: z.string() })),
    }),
  },
  /** The open library: its folder, and why it cannot be written when it was opened for viewing only (null: writable). */
  getLibraryInfo: {
    request: z.strictObject({}),
    response: z.object({ root: z.string(), readOnly: z.string().nullable() }),
  },
  listVolumes: {
    request: z.strictObject({}),
    response: z.object({ volumes: z.array(volumeSchema) }),
  },
  listFolder: {
    request: z.strictObject({ path }),
    response: z.object({ path: z.string(), parent: z.string().nullable(), entries: z.array(folderEntrySchema) }),
  },
} as const;

export type ApiMethod = keyof typeof API_METHODS;
export type ApiRequest<M extends ApiMethod> = z.input<(typeof API_METHODS)[M]['request']>;
export type ApiResponse<M extends ApiMethod> = z.output<(typeof API_METHODS)[M]['response']>;

export const apiErrorBodySchema = z.object({
  error: z.object({ code: z.enum(API_ERROR_CODES), message: z.string(), details: z.unknown().optional() }),
});

/** Events pushed to the renderer: a job changed, or the library's content did. */
export const apiEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job'), job: jobSchema }),
  z.object({ type: z.literal('library-changed') }),
  /** The desktop app noticed removable media holding DICOM (a CD, DVD or USB volume): it may be imported. */
  z.object({ type: z.literal('media-inserted'), volume: z.object({ path: z.string(), label: z.string().max(256), hasDicomdir: z.boolean() }) }),
]);
export type ApiEvent = z.infer<typeof apiEventSchema>;

export type Job = z.infer<typeof jobSchema>;
export type JobStatus = z.infer<typeof jobStatusSchema>;
export type Study = z.infer<typeof studySchema>;
export type Volume = z.infer<typeof volumeSchema>;
export type FolderEntry = z.infer<typeof folderEntrySchema>;
export type Series = z.infer<typeof seriesSchema>;
export type Instance = z.infer<typeof instanceSchema>;
export type LocalPatient = z.infer<typeof localPatientSchema>;
export type Identity = z.infer<typeof identitySchema>;
export type Proposal = z.infer<typeof proposalSchema>;
export type Evidence = z.infer<typeof evidenceSchema>;
export type UnfiledInstance = z.infer<typeof unfiledInstanceSchema>;
export type FilingResult = z.infer<typeof filingResultSchema>;
export type ReportSummary = z.infer<typeof reportSummarySchema>;
export type AuditEventRecord = z.infer<typeof auditEventSchema>;
export type OutsideReportDocument = z.infer<typeof outsideReportDocumentSchema>;
