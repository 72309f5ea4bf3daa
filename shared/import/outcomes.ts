import { describeKind } from '../dicom/sop-classes.ts';
import type { ObjectKind } from '../dicom/sop-classes.ts';

/**
 * Every file the importer meets ends in exactly one of these outcomes.
 * `missing` is the exception that proves the rule: it is a file a DICOMDIR names but that is not on
 * the media, recorded so the user learns that the media is incomplete. `unfiled`: stored as received,
 * but it has no Study or Series Instance UID, so it waits in the "needs attention" list for a person
 * to file it (Concord never guesses its study).
 */
export const FILE_OUTCOMES = [
  'imported',
  'already-present',
  'conflict',
  'media-directory',
  'missing',
  'not-dicom',
  'truncated',
  'unreadable',
  'no-sop-instance-uid',
  'unfiled',
] as const;
export type FileOutcome = (typeof FILE_OUTCOMES)[number];

/** Kinds that are not images but that the viewer opens as a document (the SR view, the PDF view). */
export const DOCUMENT_KINDS: ReadonlySet<ObjectKind> = new Set(['structured-report', 'encapsulated-document']);

/**
 * What the import says of an instance that is not an image and not an outside report: that it opens
 * as a document, or that Concord does not display it.
 */
export function nonImageReason(kind: ObjectKind): string {
  return DOCUMENT_KINDS.has(kind)
    ? `imported; opens in the viewer as a document (${describeKind(kind)})`
    : `imported; Concord does not display this ${describeKind(kind)}`;
}

/** Outcomes that mean a file was not taken into the library. */
export const PROBLEM_OUTCOMES: ReadonlySet<FileOutcome> = new Set([
  'missing',
  'not-dicom',
  'truncated',
  'unreadable',
  'no-sop-instance-uid',
]);

export type OutcomeCounts = Record<FileOutcome, number>;

export function emptyOutcomeCounts(): OutcomeCounts {
  const counts = {} as OutcomeCounts;
  for (const outcome of FILE_OUTCOMES) {
    counts[outcome] = 0;
  }
  return counts;
}

/**
 * Departures from the standard that mature readers (pydicom, dcmtk) read through, and Concord reads
 * too: the instance is imported with a note naming each one. The stored file stays as received; the
 * viewer is handed the repaired reading (see the store's delivery).
 */
export const IMPORT_QUIRKS = [
  /** A UN element of undefined length whose items are explicit VR, not the implicit VR the standard says. */
  'un-sequence-explicit-items',
  /** Encapsulated pixel data that ends with its last complete fragment, without its sequence delimiter. */
  'pixel-data-delimiter-missing',
  /** Command group (0000,xxxx) elements, which belong to a network message, written into the dataset. */
  'command-group-elements',
  /** A sequence delimiter (FFFE,E0DD) closing a sequence item where an item delimiter (FFFE,E00D) belongs. */
  'sequence-delimiter-ends-item',
  /** Values of odd length, which the standard always pads to even. */
  'odd-value-length',
  /**
   * The same element twice at the top level of the dataset (readers keep the last). An identifying
   * attribute twice with different values is not a quirk: the instance is kept aside instead.
   */
  'duplicate-element',
] as const;
export type ImportQuirk = (typeof IMPORT_QUIRKS)[number];

export interface ImportNote {
  quirk: ImportQuirk;
  /** Where and what, in words (tags and byte offsets). */
  detail: string;
}

export interface FileOutcomeRecord {
  /** Path relative to the imported root, with forward slashes. */
  path: string;
  outcome: FileOutcome;
  /** Why, for problems and conflicts; what it is, for media directories. */
  reason: string | null;
  sopInstanceUid: string | null;
  sopClassUid: string | null;
  objectKind: ObjectKind | null;
  bytes: number | null;
  /** Quirks read through in this file; empty when it follows the standard. */
  notes: ImportNote[];
}

/**
 * How an import session ended. `no-dicom`: it ran to the end, but not one file under the source was
 * DICOM (an empty folder, the wrong folder, a disc with only a viewer program): a completed import
 * would tell the user their images are in the library, and they are not.
 */
export const IMPORT_STATUSES = ['running', 'completed', 'no-dicom', 'cancelled', 'interrupted', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/**
 * Whether every file met was found not to be DICOM (or there was none). A file that could not be read
 * may be DICOM, and "unreadable" also covers DICOM refused for its content: with any of those the
 * import is not called "no DICOM", it completes with its problems listed.
 */
export function foundNoDicom(counts: OutcomeCounts): boolean {
  return FILE_OUTCOMES.every((outcome) => outcome === 'not-dicom' || counts[outcome] === 0);
}

/** What to tell the user when no file was DICOM: how many files were looked at. */
export function noDicomReason(source: string, counts: OutcomeCounts): string {
  const examined = counts['not-dicom'];
  if (examined === 0) {
    return `No DICOM files were found in ${source}: it holds no files`;
  }
  return `No DICOM files were found in ${source}: ${examined} file${examined === 1 ? '' : 's'} examined, none is DICOM`;
}

export interface ImportProgress {
  sessionId: number;
  phase: 'discovering' | 'importing' | 'finishing';
  filesFound: number;
  filesProcessed: number;
  instancesImported: number;
  /** Instances whose index rows are committed: what a study list can show now. */
  instancesIndexed: number;
  bytesTotal: number;
  bytesProcessed: number;
  /** Bytes per second over the import so far. */
  bytesPerSecond: number;
  /** Estimated seconds left, null while unknown. */
  secondsLeft: number | null;
}

export interface ImportedStudySummary {
  studyInstanceUid: string;
  patientName: string;
  patientId: string;
  studyDate: string;
  studyDescription: string;
  modalities: string[];
  instances: number;
}

export interface ImportSummary {
  sessionId: number;
  source: string;
  status: ImportStatus;
  /** Why the session did not complete, when it did not. */
  statusReason: string | null;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  filesSeen: number;
  counts: OutcomeCounts;
  bytesImported: number;
  /** Every file that was not taken in, with its reason. */
  problems: FileOutcomeRecord[];
  /** Instances kept aside because another instance with the same SOP Instance UID differs. */
  conflicts: FileOutcomeRecord[];
  /** Files read through quirks (imported, already present or kept aside), each with its notes. */
  quirked: FileOutcomeRecord[];
  /** Instances stored but in no study (no Study or Series Instance UID): they wait to be filed by a person. */
  unfiled: FileOutcomeRecord[];
  /** Instances imported and indexed that are not images (SR, PDF, RT, ...); the outside reports among them open beside the images. */
  nonImageInstances: FileOutcomeRecord[];
  /** Outside reports (text SR, PDF, scanned report pages) found on the source: they open beside the images, in the reporting pane. */
  outsideReports: FileOutcomeRecord[];
  /** For instances that were already in the library: the earlier imports that brought them, oldest first. */
  earlierImports: EarlierImport[];
  /** Link proposals this import made: possible matches with a patient already in the library, to review. */
  possibleMatches: PossibleMatch[];
  studies: ImportedStudySummary[];
}

export interface EarlierImport {
  sessionId: number;
  source: string;
  /** ISO time the earlier import started (shown in local time). */
  startedAt: string;
  /** How many of this import's already-present instances it brought. */
  instances: number;
}

export interface PossibleMatch {
  proposalId: number;
  /** The local patient of the identity this import brought: its patient page shows the proposal. */
  localPatientId: number;
  patientName: string;
  patientId: string;
}

/** What the import page says of the possible matches: "1 possible match with a patient in the library". */
export function possibleMatchMessage(count: number): string {
  return `${count} possible match${count === 1 ? '' : 'es'} with a patient in the library`;
}
