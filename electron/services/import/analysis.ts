import type { ImportNote } from '../../../shared/import/outcomes.ts';
import { contentHash } from '../store/hash.ts';
import { readAttributes } from './attributes.ts';
import type { InstanceAttributes } from './attributes.ts';
import type { HeaderProblem, HeaderResult } from './dicom-header.ts';

/**
 * What the importer needs to know about one file before deciding its outcome: plain data, so a
 * reader thread can produce it and hand it over.
 */
export type Analysis =
  | {
      kind: 'instance';
      transferSyntaxUid: string;
      attributes: InstanceAttributes;
      /** A media directory (DICOMDIR) whatever its file name: it carries a Directory Record Sequence. */
      isDirectory: boolean;
      /** Content hash of the whole file, when it was read whole; otherwise computed while copying. */
      hash: string | null;
      /** Quirks read through, each named (empty when the file follows the standard). */
      notes: ImportNote[];
      /** Why the instance's identity is in doubt (an identifying attribute twice, differing); null when it is not. */
      ambiguity: string | null;
    }
  | { kind: 'problem'; problem: HeaderProblem; reason: string };

/** Turns a header check into an analysis; `wholeFile` is given when the file was read whole, to hash it. */
export function analyzeHeader(result: HeaderResult, wholeFile: Buffer | null): Analysis {
  if (!result.ok) {
    return {
      kind: 'problem',
      problem: result.problem,
      reason: result.reason,
    };
  }
  let attributes: InstanceAttributes;
  try {
    attributes = readAttributes(result.header);
  } catch (error) {
    return {
      kind: 'problem',
      problem: 'unreadable',
      reason: `header values cannot be read: ${(error as Error).message}`,
    };
  }
  const isDirectory = Boolean(result.header.dataSet.elements.x00041220);
  return {
    kind: 'instance',
    transferSyntaxUid: result.header.transferSyntaxUid,
    attributes,
    isDirectory,
    hash: wholeFile && !isDirectory ? contentHash(wholeFile) : null,
    notes: result.header.reading.notes,
    ambiguity: result.header.reading.ambiguities.length > 0 ? result.header.reading.ambiguities.join('; ') : null,
  };
}
