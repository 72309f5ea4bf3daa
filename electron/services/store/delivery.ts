import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { META_LONG_VRS, metaElement, part10Header } from './file-meta.ts';

export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
const MAX_INFLATED_BYTES = 512 * 1024 * 1024;
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
    const long = META_LONG_VRS.has(vr);
    const length = long ? bytes.readUInt32LE(position + 8) : bytes.readUInt16LE(position + 6);
    const valueStart = position + (long ? 12 : 8);
    if (tagElement !== 0x0000 && tagElement !== 0x0010) {
      kept.push(metaElement(tagElement, vr, bytes.subarray(valueStart, valueStart + length)));
    }
    position = valueStart + length;
  }
  const dataset = inflateRawSync(bytes.subarray(position), { maxOutputLength: MAX_INFLATED_BYTES });
  kept.push(metaElement(0x0010, 'UI', Buffer.from(EXPLICIT_VR_LITTLE_ENDIAN, 'latin1')));
  return Buffer.concat([part10Header(kept), dataset]);
}
