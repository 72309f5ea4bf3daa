import dicomParser from 'dicom-parser';
import type { DataSet } from 'dicom-parser';
import { readMetaElements } from './file-meta.ts';

const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
const EXPLICIT_VR_BIG_ENDIAN = '1.2.840.10008.1.2.2';
const STUDY_INSTANCE_UID = 0x0020000d;
const SERIES_INSTANCE_UID = 0x0020000e;
/** Explicit VRs whose header has a 4-byte length (PS3.5 7.1.2). */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UR', 'UT', 'UN', 'SV', 'UV']);

/** The UIDs a person filed an instance under, for the identifiers its file lacks (null: the file has its own). */
export interface FiledUids {
  studyInstanceUid: string | null;
  seriesInstanceUid: string | null;
}

interface Encoding {
  littleEndian: boolean;
  explicitVr: boolean;
}

function encodingOf(transferSyntaxUid: string): Encoding {
  if (transferSyntaxUid === IMPLICIT_VR_LITTLE_ENDIAN) {
    return { littleEndian: true, explicitVr: false };
  }
  return { littleEndian: transferSyntaxUid !== EXPLICIT_VR_BIG_ENDIAN, explicitVr: true };
}

/** Where the dataset starts (after any preamble and meta group) and the transfer syntax the meta declares. */
function datasetStart(bytes: Buffer): { start: number; transferSyntaxUid: string | null } {
  let position = bytes.length >= 132 && bytes.toString('latin1', 128, 132) === 'DICM' ? 132 : 0;
  let transferSyntaxUid: string | null = null;
  for (const { element, value, end } of readMetaElements(bytes, position)) {
    if (element === 0x0010) {
      transferSyntaxUid = value.toString('latin1').replace(/[\0 ]+$/, '');
    }
    position = end;
  }
  return { start: position, transferSyntaxUid };
}

/** One UI element in the dataset's encoding, its value padded with NUL to even length. */
function uiElement(tag: number, uid: string, encoding: Encoding): Buffer {
  const value = Buffer.from(uid.length % 2 === 1 ? `${uid}\0` : uid, 'latin1');
  const head = Buffer.alloc(8);
  const u16 = (v: number, at: number): number => (encoding.littleEndian ? head.writeUInt16LE(v, at) : head.writeUInt16BE(v, at));
  u16(tag >>> 16, 0);
  u16(tag & 0xffff, 2);
  if (encoding.explicitVr) {
    head.write('UI', 4, 'latin1');
    u16(value.length, 6);
  } else if (encoding.littleEndian) {
    head.writeUInt32LE(value.length, 4);
  } else {
    head.writeUInt32BE(value.length, 4);
  }
  return Buffer.concat([head, value]);
}

function parse(bytes: Buffer, start: number, encoding: Encoding): DataSet {
  const parser = encoding.littleEndian ? dicomParser.littleEndianByteArrayParser : dicomParser.bigEndianByteArrayParser;
  const DataSetClass = (dicomParser as unknown as { DataSet: new (p: unknown, b: Uint8Array, e: Record<string, unknown>) => DataSet }).DataSet;
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset + start, bytes.length - start);
  const dataSet = new DataSetClass(parser, view, {});
  const stream = new dicomParser.ByteStream(parser, view, 0);
  if (encoding.explicitVr) {
    dicomParser.parseDicomDataSetExplicit(dataSet, stream, view.length);
  } else {
    dicomParser.parseDicomDataSetImplicit(dataSet, stream, view.length);
  }
  return dataSet;
}

/**
 * The bytes a viewer is handed for a filed instance: the stored bytes with the Study and Series Instance
 * UIDs it was filed under put in (inserted in tag order, or replacing an empty element). The stored file
 * itself is never changed. `transferSyntaxUid` is the index's, used when the bytes carry no meta group.
 */
export function withFiledUids(bytes: Buffer, transferSyntaxUid: string, uids: FiledUids): Buffer {
  const wanted: [number, string][] = [];
  if (uids.studyInstanceUid) {
    wanted.push([STUDY_INSTANCE_UID, uids.studyInstanceUid]);
  }
  if (uids.seriesInstanceUid) {
    wanted.push([SERIES_INSTANCE_UID, uids.seriesInstanceUid]);
  }
  if (wanted.length === 0) {
    return bytes;
  }
  const meta = datasetStart(bytes);
  const encoding = encodingOf(meta.transferSyntaxUid ?? transferSyntaxUid);
  const dataSet = parse(bytes, meta.start, encoding);
  // Top-level elements in file order: where each header starts and its value ends.
  const elements = Object.entries(dataSet.elements)
    .map(([key, element]) => {
      const tag = Number.parseInt(key.slice(1), 16);
      const headerLength = !encoding.explicitVr || !element.vr ? 8 : LONG_VRS.has(element.vr) ? 12 : 8;
      return { tag, start: meta.start + element.dataOffset - headerLength, end: meta.start + element.dataOffset + element.length };
    })
    .sort((a, b) => a.start - b.start);
  const edits: { start: number; end: number; bytes: Buffer }[] = [];
  for (const [tag, uid] of wanted) {
    const replacement = uiElement(tag, uid, encoding);
    const present = elements.find((e) => e.tag === tag);
    if (present) {
      if (dataSet.string(`x${tag.toString(16).padStart(8, '0')}`)) {
        continue; // the file has its own value: never overridden
      }
      edits.push({ start: present.start, end: present.end, bytes: replacement });
      continue;
    }
    const next = elements.find((e) => e.tag > tag);
    const at = next ? next.start : bytes.length;
    edits.push({ start: at, end: at, bytes: replacement });
  }
  const parts: Buffer[] = [];
  let position = 0;
  for (const edit of edits.sort((a, b) => a.start - b.start || a.end - b.end)) {
    parts.push(bytes.subarray(position, edit.start), edit.bytes);
    position = edit.end;
  }
  parts.push(bytes.subarray(position));
  return Buffer.concat(parts);
}
