import { z } from 'zod';
import { biradsCategorySchema, breastCompositionSchema } from './birads.ts';
import { CONCORDANCE_RULES, CONCORDANCE_VERDICTS, FINDING_KINDS, readingFactsSchema } from './concordance.ts';

/**
 * The second-opinion report as data: the outside report's key facts, the structured second opinion,
 * the concordance verdict and the report's lifecycle. This is the API's report schema and the JSON
 * that `concord report create --from F.json` reads, so its field names are relied on.
 * Everything the user types is bounded text; nothing is interpreted as markup.
 */

const shortText = z.string().max(200);
const longText = z.string().max(20000);
const da = z.string().regex(/^(\d{8})?$/, 'a date as YYYYMMDD, or empty');
const uid = z.string().regex(/^[0-9.]{1,64}$/, 'not a DICOM UID');

export const REPORT_TEMPLATES = ['birads-mammography', 'birads-breast-mri', 'general-mri'] as const;
export type ReportTemplate = (typeof REPORT_TEMPLATES)[number];

/** An image a finding or the report points at: a key image, or the image a measurement was made on. */
export const imageReferenceSchema = z.strictObject({
  sopInstanceUid: uid,
  /** 1-based frame for multi-frame images; null for single-frame ones. */
  frame: z.number().int().min(1).nullable(),
  /** The annotation or measurement on that image the reference stands for, when there is one. */
  annotationUid: z.string().max(128).nullable(),
  caption: shortText,
});
export type ImageReference = z.infer<typeof imageReferenceSchema>;

export const regionTextSchema = z.strictObject({ region: shortText, text: longText });

/** Where a finding is: side, clock face or quadrant, depth and distance from the nipple. */
export const locationSchema = z.strictObject({
  laterality: z.enum(['R', 'L']),
  clock: z.number().int().min(1).max(12).nullable(),
  quadrant: z.enum(['UOQ', 'UIQ', 'LOQ', 'LIQ', 'subareolar', 'central', 'axillary-tail']).nullable(),
  depth: z.enum(['anterior', 'middle', 'posterior']).nullable(),
  distanceFromNippleCm: z.number().min(0).max(40).nullable(),
});

/**
 * A finding of the second opinion. `descriptors` holds the lexicon's terms as codes (lexicon.ts lists
 * which apply to which kind), e.g. { shape: 'irregular', margin: 'spiculated', density: 'high' }.
 */
export const reportFindingSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  kind: z.enum(FINDING_KINDS),
  location: locationSchema,
  descriptors: z.record(z.string().max(64), z.string().max(64)),
  associatedFeatures: z.array(z.string().max(64)).max(20),
  sizeMm: z.number().positive().max(500).nullable(),
  /** Change against the prior, when priors were compared. */
  change: z.enum(['new', 'larger', 'smaller', 'stable', 'not-compared']).nullable(),
  /** MRI kinetics: initial and delayed phase. */
  kinetics: z
    .strictObject({ initial: z.enum(['slow', 'medium', 'fast']).nullable(), delayed: z.enum(['persistent', 'plateau', 'washout']).nullable() })
    .nullable(),
  assessment: biradsCategorySchema.nullable(),
  images: z.array(imageReferenceSchema).max(20),
  note: longText,
});
export type ReportFinding = z.infer<typeof reportFindingSchema>;

/** The outside report, as the user recorded its key facts (and the document it came from, if on the media). */
export const outsideReportSchema = z.strictObject({
  facility: shortText,
  reader: shortText,
  date: da,
  /** Per-breast and overall assessment, composition, findings with locations, extent, priors. */
  facts: readingFactsSchema,
  recommendation: longText,
  /** MRI: the outside impression and key findings by region. */
  impression: longText,
  findingsByRegion: z.array(regionTextSchema).max(40),
  freeText: longText,
  /** The outside report found on the media, when there is one: SR, Encapsulated PDF or scanned image. */
  sourceDocumentUid: uid.nullable(),
});
export type OutsideReport = z.infer<typeof outsideReportSchema>;

export const secondOpinionSchema = z.strictObject({
  template: z.enum(REPORT_TEMPLATES),
  clinicalQuestion: longText,
  technique: longText,
  /** Which priors were compared (their dates and sources), as the reader words it. */
  comparison: longText,
  priorStudyUids: z.array(uid).max(20),
  composition: breastCompositionSchema.nullable(),
  /** Breast MRI: amount of fibroglandular tissue and background parenchymal enhancement. */
  fibroglandularTissue: breastCompositionSchema.nullable(),
  backgroundEnhancement: z
    .strictObject({ level: z.enum(['minimal', 'mild', 'moderate', 'marked']), symmetric: z.boolean() })
    .nullable(),
  findings: z.array(reportFindingSchema).max(100),
  /** General MRI: findings by region. */
  findingsByRegion: z.array(regionTextSchema).max(40),
  impression: longText,
  assessment: z.strictObject({ overall: biradsCategorySchema.nullable(), right: biradsCategorySchema.nullable(), left: biradsCategorySchema.nullable() }),
  recommendation: longText,
  /** Extent of disease in cm where the reader states one. */
  extentCm: z.number().positive().max(100).nullable(),
  priorsAvailable: z.boolean().nullable(),
  /** Generated from the structured entries, then the reader's to edit; `narrativeEdited` stops regeneration. */
  narrative: longText,
  narrativeEdited: z.boolean(),
  keyImages: z.array(imageReferenceSchema).max(40),
});
export type SecondOpinion = z.infer<typeof secondOpinionSchema>;

export const RADPEER_SCORES = ['1', '2a', '2b', '3a', '3b'] as const;

export const concordanceRecordSchema = z.strictObject({
  /** What Concord proposed, with the rules that fired (recomputed on every edit of a draft). */
  proposed: z.enum(CONCORDANCE_VERDICTS),
  rules: z.array(z.strictObject({ rule: z.enum(CONCORDANCE_RULES), severity: z.enum(['major', 'minor', 'info']), scope: shortText, message: longText })),
  /** What the radiologist decided; null until confirmed. */
  confirmed: z.enum(['concordant', 'minor', 'major']).nullable(),
  radpeer: z.enum(RADPEER_SCORES).nullable(),
  reason: longText,
});
export type ConcordanceRecord = z.infer<typeof concordanceRecordSchema>;

/** What a draft holds: everything the reader edits. The API's create and update take this. */
export const reportContentSchema = z.strictObject({
  outside: outsideReportSchema,
  secondOpinion: secondOpinionSchema,
  concordance: concordanceRecordSchema,
  /**
   * What the reader typed into a field that did not pass its check (draft-checks.ts), as typed, by field
   * key (e.g. 'outside.date', 'secondOpinion.findings.F1.sizeMm'); the field itself stays empty meanwhile.
   * Kept so that nothing typed is lost and the rest of the draft still saves; signing is refused while any is left.
   */
  invalidEntries: z.record(z.string().regex(/^[A-Za-z0-9.-]{1,200}$/), z.string().max(200))
    .refine((entries) => Object.keys(entries).length <= 1000, 'at most 1000 entries')
    .optional(),
});
export type ReportContent = z.infer<typeof reportContentSchema>;

export const REPORT_STATUSES = ['draft', 'signed', 'amended'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const readerProfileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  name: shortText.min(1),
  credentials: shortText,
  signatureLine: shortText,
  /** The reading institution: the SR's Verifying Organization. Absent or empty: not recorded. */
  institution: shortText.optional(),
});
export type ReaderProfile = z.infer<typeof readerProfileSchema>;

export const signatureSchema = z.object({
  profileId: z.string(),
  name: z.string(),
  credentials: z.string(),
  signatureLine: z.string(),
  /** The signer's reading institution as the profile said when signing; absent or empty: not recorded. */
  institution: z.string().optional(),
  signedAt: z.string(),
});

export const addendumSchema = z.object({ id: z.number().int(), text: z.string(), signature: signatureSchema });

/** Closing the loop on a major discordance: the communication to the referring physician. */
export const communicationSchema = z.strictObject({
  to: shortText.min(1),
  at: z.string().max(40).min(1),
  how: z.enum(['phone', 'in-person', 'secure-message', 'letter', 'fax', 'other']),
  by: shortText.min(1),
  note: longText,
});

/** A later pathology or follow-up result for one finding (or the whole case). */
export const outcomeSchema = z.strictObject({
  findingId: z.string().max(64).nullable(),
  kind: z.enum(['pathology', 'follow-up-imaging', 'clinical']),
  result: z.enum(['malignant', 'high-risk', 'benign', 'stable', 'resolved', 'other']),
  date: da,
  note: longText,
  /** Which reading the outcome supports: computed, stored for the overview. */
  supports: z.enum(['outside', 'second-opinion', 'both', 'neither']).nullable(),
});

export const reportSchema = z.object({
  id: z.number().int(),
  studyInstanceUid: z.string(),
  status: z.enum(REPORT_STATUSES),
  content: reportContentSchema,
  /** Increases with every saved edit; a save names the revision it edits, so two windows cannot overwrite each other. */
  revision: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  signature: signatureSchema.nullable(),
  addenda: z.array(addendumSchema),
  communication: communicationSchema.nullable(),
  outcomes: z.array(outcomeSchema),
  /** The DICOM objects written from it, once exported into the library. */
  exports: z.array(z.object({ kind: z.enum(['sr', 'encapsulated-pdf']), sopInstanceUid: z.string(), createdAt: z.string() })),
});
export type Report = z.infer<typeof reportSchema>;
