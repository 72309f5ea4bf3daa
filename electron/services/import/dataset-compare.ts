import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type dcmjsDefault from 'dcmjs';
import type { DicomDict, DicomElement } from 'dcmjs';
import { metaElement, part10Header } from '../store/file-meta.ts';
import { readDicomHeader } from './dicom-header.ts';

export interface DatasetComparison {
  /** True when the datasets differ only in file meta information or in the transfer syntax. */
  equivalent: boolean;
  /** Whether the pixel data was compared sample by sample (it cannot be across compressed encodings). */
  pixelsCompared: boolean;
  /** Tags that differ, for the user and the conflict record (at most a few). */
  differences: string[];
}

const MAX_REPORTED = 12;
const PIXEL_DATA = '7FE00010';

type Dcmjs = typeof dcmjsDefault;
let dcmjsModule: Dcmjs | null = null;

/** dcmjs is large and needed only for conflicts and broken DICOMDIRs: load it on first use. */
export async function loadDcmjs(): Promise<Dcmjs> {
  if (!dcmjsModule) {
    dcmjsModule = (await import('dcmjs')).default;
    // dcmjs reports odd VRs on the console; outside files are odd by nature and the importer reports
    // what matters itself.
    dcmjsModule.log.setLevel('silent');
    dcmjsModule.log.getLogger('validation.dcmjs').setLevel('silent');
  }
  return dcmjsModule;
}

/**
 * The file as DICOM Part 10 bytes. dcmjs reads only Part 10 files; a file without preamble or
 * without a declared transfer syntax gets a minimal meta header naming the one it was read with.
 */
export function asPart10(path: string): Buffer {
  const bytes = readFileSync(path);
  const result = readDicomHeader(path, Buffer.allocUnsafe(64 * 1024));
  if (!result.ok) {
    if (bytes.length > 132 && bytes.toString('latin1', 128, 132) === 'DICM') {
      return bytes; // let dcmjs try what dicom-parser refused
    }
    throw new Error(`cannot read ${path}: ${result.reason}`);
  }
  result.source.close();
  const { header } = result;
  if (header.hasPreamble && header.transferSyntaxDeclared) {
    return bytes;
  }
  const syntax = metaElement(0x0010, 'UI', Buffer.from(header.transferSyntaxUid, 'latin1'));
  return Buffer.concat([part10Header([syntax]), bytes.subarray(header.datasetStart)]);
}

export async function readDicomDict(path: string): Promise<DicomDict> {
  const dcmjs = await loadDcmjs();
  const bytes = asPart10(path);
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

const UNCOMPRESSED = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2', '1.2.840.10008.1.2.1.99']);
const BIG_ENDIAN = '1.2.840.10008.1.2.2';

/** Native pixel data as little-endian bytes, whatever the transfer syntax stored it as. */
function nativePixelBytes(dataset: DicomDict, transferSyntax: string): Uint8Array | null {
  const element = dataset.dict[PIXEL_DATA];
  const value = element?.Value?.[0];
  if (!(value instanceof ArrayBuffer)) {
    return null;
  }
  const bytes = new Uint8Array(value.slice(0));
  const bitsAllocated = Number(dataset.dict['00280100']?.Value?.[0] ?? 16);
  if (transferSyntax === BIG_ENDIAN && bitsAllocated === 16) {
    for (let i = 0; i + 1 < bytes.length; i += 2) {
      const first = bytes[i] as number;
      bytes[i] = bytes[i + 1] as number;
      bytes[i + 1] = first;
    }
  }
  return bytes;
}

function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) {
    return a === b; // neither has pixel data: nothing differs
  }
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function transferSyntaxOf(dataset: DicomDict): string {
  const value = dataset.meta['00020010']?.Value?.[0];
  return typeof value === 'string' ? value.replace(/\0/g, '').trim() : '';
}

/**
 * Compares two files that carry the same SOP Instance UID. File meta information never counts. When the
 * transfer syntaxes differ, pixel data is encoded differently by design and is not compared byte for byte.
 */
export async function compareDatasets(existingPath: string, incomingPath: string): Promise<DatasetComparison> {
  const a = await readDicomDict(existingPath);
  const b = await readDicomDict(incomingPath);
  const syntaxA = transferSyntaxOf(a);
  const syntaxB = transferSyntaxOf(b);
  const sameTransferSyntax = syntaxA === syntaxB;
  const bothNative = UNCOMPRESSED.has(syntaxA) && UNCOMPRESSED.has(syntaxB);
  const tags = new Set([...Object.keys(a.dict), ...Object.keys(b.dict)]);
  const differences: string[] = [];
  if (!sameTransferSyntax && bothNative && !sameBytes(nativePixelBytes(a, syntaxA), nativePixelBytes(b, syntaxB))) {
    differences.push('(7FE0,0010)');
  }
  for (const tag of [...tags].sort()) {
    const upper = tag.toUpperCase();
    if (upper.endsWith('0000') || upper === 'FFFCFFFC' || (upper === PIXEL_DATA && !sameTransferSyntax)) {
      continue; // group lengths and padding depend on encoding; native pixels across encodings are compared above
    }
    const left = a.dict[tag];
    const right = b.dict[tag];
    if (!left || !right || fingerprint(left) !== fingerprint(right)) {
      differences.push(`(${upper.slice(0, 4)},${upper.slice(4)})`);
    }
  }
  return { equivalent: differences.length === 0, pixelsCompared: sameTransferSyntax || bothNative, differences: differences.slice(0, MAX_REPORTED) };
}
