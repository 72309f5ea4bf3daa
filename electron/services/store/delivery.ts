import { readFileSync, statSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { inspectBytes } from '../import/dicom-header.ts';
import { applyEdits } from '../import/dicom-structure.ts';
import { metaElement, part10Header, readMetaElements } from './file-meta.ts';

export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
const MAX_INFLATED_BYTES = 512 * 1024 * 1024;
/**
 * The bytes a viewer is given for an instance. The store keeps every file as received; a deflated
 * dataset (which browser image loaders cannot read) is handed out inflated, as Explicit VR Little
 * Endian with its meta information saying so. An instance imported through quirks (`quirked`) is
 * handed out as its repaired reading (see `repairedReading`). Everything else is the stored file itself.
 */
/**
 * How an instance is handed out: the stored file itself, streamed in ranges and never held whole in
 * memory (a tomosynthesis object runs to hundreds of MB), or bytes made for delivery (inflated,
 * repaired, or carrying the UIDs it was filed under).
 */
export type InstanceDelivery = { kind: 'file'; path: string; size: number } | { kind: 'bytes'; bytes: Buffer };

export function instanceDelivery(path: string, transferSyntaxUid: string, quirked = false): InstanceDelivery {
  if (transferSyntaxUid !== DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN && !quirked) {
    return { kind: 'file', path, size: statSync(path).size };
  }
  return { kind: 'bytes', bytes: deliverableBytes(path, transferSyntaxUid, quirked) };
}

/** The whole delivery in memory: for small objects and tests, never for serving. */
export function deliveryBytes(delivery: InstanceDelivery): Buffer {
  return delivery.kind === 'bytes' ? delivery.bytes : readFileSync(delivery.path);
}

export function deliverableBytes(path: string, transferSyntaxUid: string, quirked = false): Buffer {
  const stored = readFileSync(path);
  const bytes = transferSyntaxUid === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN ? inflated(stored) : stored;
  return quirked ? repairedReading(bytes) : bytes;
}

/**
 * The reading the importer made of a quirked file, as bytes a standard reader parses. What the
 * viewer sees, quirk by quirk:
 * - encapsulated pixel data without its closing delimiter: the same fragments, the delimiter appended;
 * - a UN element of undefined length with explicit VR items: the same element and items, declared SQ
 *   (two bytes), so the private content is kept and parsed as written rather than as garbage;
 * - command group (0000,xxxx) elements in the dataset: left out; they describe a network message,
 *   not the image;
 * - a sequence delimiter closing an item: an item delimiter in its place.
 * Odd value lengths and duplicated elements are handed out as they are: readers take them as read.
 * A file that no longer reads (it never should: it was read at import) is handed out as stored.
 */
export function repairedReading(bytes: Buffer): Buffer {
  const result = inspectBytes(bytes);
  if (!result.ok) {
    return bytes;
  }
  result.source.close();
  return applyEdits(bytes, 0, result.header.reading.edits);
}

/** A deflated file inflated into Explicit VR Little Endian, its meta information saying so. */
function inflated(bytes: Buffer): Buffer {
  if (bytes.toString('latin1', 128, 132) !== 'DICM') {
    return bytes;
  }
  const kept: Buffer[] = [];
  let position = 132;
  for (const { element, vr, value, end } of readMetaElements(bytes, position)) {
    if (element !== 0x0000 && element !== 0x0010) {
      kept.push(metaElement(element, vr, value));
    }
    position = end;
  }
  const dataset = inflateRawSync(bytes.subarray(position), { maxOutputLength: MAX_INFLATED_BYTES });
  kept.push(metaElement(0x0010, 'UI', Buffer.from(EXPLICIT_VR_LITTLE_ENDIAN, 'latin1')));
  return Buffer.concat([part10Header(kept), dataset]);
}
