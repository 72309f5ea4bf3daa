import { inflateRawSync } from 'node:zlib';
import dicomParser from 'dicom-parser';
import type { DataSet } from 'dicom-parser';
import { FileSource } from './file-source.ts';
import { MalformedError, TruncatedError, applyEdits, emptyReading, guessEncoding, walkDataset } from './dicom-structure.ts';
import type { DatasetReading, Encoding } from './dicom-structure.ts';

export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';
export const EXPLICIT_VR_BIG_ENDIAN = '1.2.840.10008.1.2.2';

/** Headers larger than this are refused: no real header comes near it, a hostile file might. */
const MAX_HEADER_BYTES = 256 * 1024 * 1024;

export interface FileMeta {
  mediaStorageSopClassUid: string | null;
  mediaStorageSopInstanceUid: string | null;
  transferSyntaxUid: string | null;
  implementationClassUid: string | null;
  implementationVersionName: string | null;
  sourceApplicationEntityTitle: string | null;
}

export interface DicomHeader {
  fileSize: number;
  meta: FileMeta;
  /** The transfer syntax the dataset is read with: declared, or guessed when the meta lacks it. */
  transferSyntaxUid: string;
  transferSyntaxDeclared: boolean;
  hasPreamble: boolean;
  /** Byte offset where the dataset (after any preamble and meta information) begins. */
  datasetStart: number;
  /** Parsed dataset up to (not including) Pixel Data, from the repaired reading when there are quirks. */
  dataSet: DataSet;
  hasPixelData: boolean;
  /**
   * Quirks read through: notes, the edits of the repaired reading (offsets in the file, or in the
   * inflated dataset of a deflated one) and identifying attributes found twice with different values.
   */
  reading: DatasetReading;
}

export type HeaderProblem = 'not-dicom' | 'truncated' | 'unreadable';

export type HeaderResult =
  | { ok: true; header: DicomHeader; source: FileSource }
  | { ok: false; problem: HeaderProblem; reason: string };

function emptyMeta(): FileMeta {
  return {
    mediaStorageSopClassUid: null,
    mediaStorageSopInstanceUid: null,
    transferSyntaxUid: null,
    implementationClassUid: null,
    implementationVersionName: null,
    sourceApplicationEntityTitle: null,
  };
}

function metaString(bytes: Buffer): string {
  return bytes.toString('latin1').replace(/[\0 ]+$/, '').trim();
}

/** Reads the File Meta Information group (always explicit VR little endian). Returns where it ends. */
function readMeta(source: FileSource, start: number, meta: FileMeta): number {
  let position = start;
  while (position + 8 <= source.size) {
    const head = source.read(position, 8);
    const group = head.readUInt16LE(0);
    if (group !== 0x0002) {
      break;
    }
    const element = head.readUInt16LE(2);
    const vr = head.toString('latin1', 4, 6);
    let length: number;
    let valueOffset: number;
    if (['OB', 'OW', 'OF', 'SQ', 'UT', 'UN', 'UC', 'UR'].includes(vr)) {
      if (position + 12 > source.size) {
        throw new TruncatedError('(0002,xxxx)', position, 12, source.size);
      }
      length = source.read(position + 8, 4).readUInt32LE(0);
      valueOffset = position + 12;
    } else {
      length = head.readUInt16LE(6);
      valueOffset = position + 8;
    }
    if (valueOffset + length > source.size) {
      const tag = `(0002,${element.toString(16).toUpperCase().padStart(4, '0')})`;
      throw new TruncatedError(tag, position, valueOffset + length - position, source.size);
    }
    if (length > 0 && length < 1024) {
      const value = metaString(source.read(valueOffset, length));
      switch (element) {
        case 0x0002: meta.mediaStorageSopClassUid = value; break;
        case 0x0003: meta.mediaStorageSopInstanceUid = value; break;
        case 0x0010: meta.transferSyntaxUid = value; break;
        case 0x0012: meta.implementationClassUid = value; break;
        case 0x0013: meta.implementationVersionName = value; break;
        case 0x0016: meta.sourceApplicationEntityTitle = value; break;
        default: break;
      }
    }
    position = valueOffset + length;
  }
  return position;
}

function encodingOf(transferSyntaxUid: string): Encoding {
  if (transferSyntaxUid === IMPLICIT_VR_LITTLE_ENDIAN) {
    return { littleEndian: true, explicitVr: false };
  }
  if (transferSyntaxUid === EXPLICIT_VR_BIG_ENDIAN) {
    return { littleEndian: false, explicitVr: true };
  }
  return { littleEndian: true, explicitVr: true };
}

function transferSyntaxFor(encoding: Encoding): string {
  if (!encoding.explicitVr) {
    return IMPLICIT_VR_LITTLE_ENDIAN;
  }
  return encoding.littleEndian ? EXPLICIT_VR_LITTLE_ENDIAN : EXPLICIT_VR_BIG_ENDIAN;
}

type DataSetConstructor = new (parser: unknown, bytes: Uint8Array, elements: Record<string, unknown>) => DataSet;

/** Parses header bytes (a dataset with pixel data cut off) with dicom-parser. */
function parseHeaderBytes(bytes: Buffer, encoding: Encoding): DataSet {
  const parser = encoding.littleEndian ? dicomParser.littleEndianByteArrayParser : dicomParser.bigEndianByteArrayParser;
  const DataSetClass = (dicomParser as unknown as { DataSet: DataSetConstructor }).DataSet;
  const dataSet = new DataSetClass(parser, bytes, {});
  const stream = new dicomParser.ByteStream(parser, bytes, 0);
  if (encoding.explicitVr) {
    dicomParser.parseDicomDataSetExplicit(dataSet, stream, bytes.length);
  } else {
    dicomParser.parseDicomDataSetImplicit(dataSet, stream, bytes.length);
  }
  return dataSet;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

/**
 * Reads and checks the header of one file. The returned source stays open (the caller copies from it
 * and closes it); on failure it is already closed.
 */
export function readDicomHeader(
  path: string,
  headBuffer: Buffer,
  wholeFileLimit = 0,
  allocate?: (size: number) => Buffer,
): HeaderResult {
  let source: FileSource;
  try {
    source = FileSource.open(path, headBuffer, wholeFileLimit, allocate);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, problem: 'unreadable', reason: `cannot open file${code ? ` (${code})` : ''}: ${describe(error)}` };
  }
  try {
    const result = inspect(source);
    if (!result.ok) {
      source.close();
    }
    return result;
  } catch (error) {
    source.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code) {
      return { ok: false, problem: 'unreadable', reason: `read error (${code}): ${describe(error)}` };
    }
    return { ok: false, problem: 'unreadable', reason: describe(error) };
  }
}

/** The same checks on a whole file already in memory (read ahead by the importer). */
export function inspectBytes(bytes: Buffer): HeaderResult {
  const source = FileSource.fromBuffer(bytes);
  try {
    return inspect(source);
  } catch (error) {
    return { ok: false, problem: 'unreadable', reason: describe(error) };
  }
}

function inspect(source: FileSource): HeaderResult {
  const head = source.head;
  const meta = emptyMeta();
  const hasPreamble = head.length >= 132 && head.toString('latin1', 128, 132) === 'DICM';
  let datasetStart = 0;
  let guessed = false;

  if (hasPreamble) {
    datasetStart = readMeta(source, 132, meta);
  } else if (head.length >= 8 && head.readUInt16LE(0) === 0x0002) {
    // Meta information without the 128-byte preamble.
    datasetStart = readMeta(source, 0, meta);
  }

  let transferSyntaxUid = meta.transferSyntaxUid;
  let encoding: Encoding | null;
  if (transferSyntaxUid) {
    encoding = encodingOf(transferSyntaxUid);
  } else {
    if (datasetStart >= source.size) {
      return hasPreamble
        ? { ok: false, problem: 'truncated', reason: 'the file ends after its meta information: no dataset' }
        : { ok: false, problem: 'not-dicom', reason: 'no DICOM preamble and no recognisable dataset' };
    }
    encoding = guessEncoding(source.read(datasetStart, Math.min(8, source.size - datasetStart)), 0);
    if (!encoding) {
      if (hasPreamble) {
        return { ok: false, problem: 'unreadable', reason: 'DICM prefix present but the dataset encoding is not recognisable' };
      }
      return {
        ok: false,
        problem: 'not-dicom',
        reason: source.size < 132 ? `too short to be DICOM (${source.size} bytes)` : 'no DICM prefix and no recognisable dataset',
      };
    }
    transferSyntaxUid = transferSyntaxFor(encoding);
    guessed = true;
  }

  let walkSource = source;
  let walkStart = datasetStart;
  if (transferSyntaxUid === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN) {
    try {
      const deflated = source.read(datasetStart, source.size - datasetStart);
      // Bounded: a few kilobytes can inflate to gigabytes.
      walkSource = FileSource.fromBuffer(inflateRawSync(deflated, { maxOutputLength: MAX_HEADER_BYTES }));
      walkStart = 0;
    } catch (error) {
      const tooLarge = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      return tooLarge
        ? { ok: false, problem: 'unreadable', reason: `deflated dataset inflates past ${MAX_HEADER_BYTES} bytes` }
        : { ok: false, problem: 'truncated', reason: `deflated dataset cannot be inflated: ${describe(error)}` };
    }
  }

  let layout;
  const reading = emptyReading();
  try {
    layout = walkDataset(walkSource, walkStart, encoding, reading);
  } catch (error) {
    if (guessed && !hasPreamble && !meta.mediaStorageSopInstanceUid) {
      return { ok: false, problem: 'not-dicom', reason: `no DICM prefix, and not readable as a raw dataset: ${describe(error)}` };
    }
    if (error instanceof TruncatedError) {
      return { ok: false, problem: 'truncated', reason: error.message };
    }
    if (error instanceof MalformedError) {
      return { ok: false, problem: 'unreadable', reason: `malformed dataset: ${error.message}` };
    }
    throw error;
  }

  const headerLength = layout.headerEnd - walkStart;
  if (headerLength > MAX_HEADER_BYTES) {
    return { ok: false, problem: 'unreadable', reason: `header of ${headerLength} bytes exceeds the ${MAX_HEADER_BYTES}-byte limit` };
  }
  let dataSet: DataSet;
  try {
    dataSet = parseHeaderBytes(applyEdits(walkSource.read(walkStart, headerLength), walkStart, reading.edits), encoding);
  } catch (error) {
    return { ok: false, problem: 'unreadable', reason: `header cannot be parsed: ${describe(error)}` };
  }

  return {
    ok: true,
    source,
    header: {
      fileSize: source.size,
      meta,
      transferSyntaxUid,
      transferSyntaxDeclared: !guessed,
      hasPreamble,
      datasetStart,
      dataSet,
      hasPixelData: layout.pixelDataOffset !== null,
      reading,
    },
  };
}
