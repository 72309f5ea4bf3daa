import type { ObjectKind } from '../dicom/sop-classes.ts';

/**
 * Every file the importer meets ends in exactly one of these outcomes.
 * `missing` is the exception that proves the rule: it is a file a DICOMDIR names but that is not on
 * the media, recorded so the user learns that the media is incomplete.
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
] as const;
export type FileOutcome = (typeof FILE_OUTCOMES)[number];

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
}

export type ImportStatus = 'running' | 'completed' | 'cancelled' | 'interrupted' | 'failed';

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
  /** Instances imported and indexed that Concord does not display as images (SR, PDF, RT, ...). */
  nonImageInstances: FileOutcomeRecord[];
  studies: ImportedStudySummary[];
}
