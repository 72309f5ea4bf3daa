import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
const MAX_INFLATED_BYTES = 512 * 1024 * 1024;
const LONG_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN', 'UC', 'UR']);

function element(tagElement: number, vr: string, value: Buffer): Buffer {
  const padded = value.length % 2 === 1 ? Buffer.concat([value, Buffer.from([0])]) : value;
  if (LONG_VRS.has(vr)) {
    const head = Buffer.alloc(12);
    head.writeUInt16LE(0x0002, 0);
    head.writeUInt16LE(tagElement, 2);
    head.write(vr, 4, 'latin1');
    head.writeUInt32LE(padded.length, 8);
    return Buffer.concat([head, padded]);
  }
  const head = Buffer.alloc(8);
  head.writeUInt16LE(0x0002, 0);
  head.writeUInt16LE(tagElement, 2);
  head.write(vr, 4, 'latin1');
  head.writeUInt16LE(padded.length, 6);
  return Buffer.concat([head, padded]);
}

/**
 * The bytes a viewer is given for an instance. The store keeps every file as received; a deflated
 * dataset (which browser image loaders cannot read) is handed out inflated, as Explicit VR Little
 * Endian with its meta information saying so. Everything else is the stored file itself.
 */
export function deliverableBytes(path: string, transferSyntaxUid: string): Buffer {
  const bytes = readFileSync(path);
  if (transferSyntaxUid !== DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN || bytes.toString('latin1', 128, 132) !== 'DICM') {
    return bytes;
  }
  const kept: Buffer[] = [];
  let position = 132;
  while (position + 8 <= bytes.length && bytes.readUInt16LE(position) === 0x0002) {
    const tagElement = bytes.readUInt16LE(position + 2);
    const vr = bytes.toString('latin1', position + 4, position + 6);
    const long = LONG_VRS.has(vr);
    const length = long ? bytes.readUInt32LE(position + 8) : bytes.readUInt16LE(position + 6);
    const valueStart = position + (long ? 12 : 8);
    if (tagElement !== 0x0000 && tagElement !== 0x0010) {
      kept.push(element(tagElement, vr, bytes.subarray(valueStart, valueStart + length)));
    }
    if (tagElement === 0x0001) {
      kept.push(element(0x0010, 'UI', Buffer.from(EXPLICIT_VR_LITTLE_ENDIAN, 'latin1')));
    }
    position = valueStart + length;
  }
  const dataset = inflateRawSync(bytes.subarray(position), { maxOutputLength: MAX_INFLATED_BYTES });
  if (!kept.some((part) => part.readUInt16LE(2) === 0x0010)) {
    kept.push(element(0x0010, 'UI', Buffer.from(EXPLICIT_VR_LITTLE_ENDIAN, 'latin1')));
  }
  kept.sort((a, b) => a.readUInt16LE(2) - b.readUInt16LE(2));
  const group = Buffer.concat(kept);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(group.length, 0);
  return Buffer.concat([bytes.subarray(0, 132), element(0x0000, 'UL', groupLength), group, dataset]);
}
