import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import dcmjs from 'dcmjs';
import type { DicomDict, DicomElement } from 'dcmjs';

export interface DatasetComparison {
  /** True when the datasets differ only in file meta information or in the transfer syntax. */
  equivalent: boolean;
  /** Tags that differ, for the user and the conflict record (at most a few). */
  differences: string[];
}

const MAX_REPORTED = 12;
const PIXEL_DATA = '7FE00010';

function readDataset(path: string): DicomDict {
  const bytes = readFileSync(path);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return dcmjs.data.DicomMessage.readFile(buffer, { ignoreErrors: true });
}

/** A stable fingerprint of an element value, binary values hashed. */
function fingerprint(element: DicomElement): string {
  const hash = createHash('sha256');
  const visit = (value: unknown): void => {
    if (value instanceof ArrayBuffer) {
      hash.update(new Uint8Array(value));
    } else if (ArrayBuffer.isView(value)) {
      hash.update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    } else if (Array.isArray(value)) {
      hash.update('[');
      value.forEach(visit);
      hash.update(']');
    } else if (value && typeof value === 'object') {
      for (const key of Object.keys(value).sort()) {
        hash.update(`{${key}:`);
        visit((value as Record<string, unknown>)[key]);
        hash.update('}');
      }
    } else {
      hash.update(JSON.stringify(value ?? null));
    }
  };
  visit(element.Value ?? element.InlineBinary ?? null);
  return hash.digest('hex');
}

function transferSyntaxOf(dataset: DicomDict): string {
  const value = dataset.meta['00020010']?.Value?.[0];
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * Compares two files that carry the same SOP Instance UID. File meta information never counts. When the
 * transfer syntaxes differ, pixel data is encoded differently by design and is not compared byte for byte.
 */
export function compareDatasets(existingPath: string, incomingPath: string): DatasetComparison {
  const a = readDataset(existingPath);
  const b = readDataset(incomingPath);
  const sameTransferSyntax = transferSyntaxOf(a) === transferSyntaxOf(b);
  const tags = new Set([...Object.keys(a.dict), ...Object.keys(b.dict)]);
  const differences: string[] = [];
  for (const tag of [...tags].sort()) {
    const upper = tag.toUpperCase();
    if (upper.endsWith('0000') || upper === 'FFFCFFFC' || (upper === PIXEL_DATA && !sameTransferSyntax)) {
      continue; // group lengths and padding depend on encoding
    }
    const left = a.dict[tag];
    const right = b.dict[tag];
    if (!left || !right || fingerprint(left) !== fingerprint(right)) {
      differences.push(`(${upper.slice(0, 4)},${upper.slice(4)})`);
    }
  }
  return { equivalent: differences.length === 0, differences: differences.slice(0, MAX_REPORTED) };
}
