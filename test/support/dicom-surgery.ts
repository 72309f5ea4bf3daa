/**
 * Byte surgery on copies of Explicit VR Little Endian Part 10 files, to make the quirks real outside
 * media carry. Written for the tests, independent of the importer's own parser: it walks the top level
 * of a dataset, builds elements and finds byte patterns, nothing more.
 */

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UR', 'UT', 'UN', 'SV', 'UV']);
const UNDEFINED = 0xffffffff;

export interface TopElement {
  tag: number;
  offset: number;
  end: number;
}

/** An explicit VR little endian element; `length` overrides the declared length (0xFFFFFFFF: undefined). */
export function element(group: number, number: number, vr: string, value: Buffer, length?: number): Buffer {
  const long = LONG_VRS.has(vr);
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(group, 0);
  head.writeUInt16LE(number, 2);
  head.write(vr, 4, 'latin1');
  if (long) {
    head.writeUInt32LE(length ?? value.length, 8);
  } else {
    head.writeUInt16LE(length ?? value.length, 6);
  }
  return Buffer.concat([head, value]);
}

/** An item, item delimiter or sequence delimiter (tag FFFE,`number`). */
export function delimiter(number: number, length: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeUInt16LE(0xfffe, 0);
  bytes.writeUInt16LE(number, 2);
  bytes.writeUInt32LE(length, 4);
  return bytes;
}

/** A UID value, NUL-padded to even length as the standard writes it. */
export function uidValue(uid: string): Buffer {
  return Buffer.from(uid.length % 2 === 1 ? `${uid}\0` : uid, 'latin1');
}

/** Where the dataset starts: after the preamble, "DICM" and the meta group. */
export function datasetStart(bytes: Buffer): number {
  if (bytes.toString('latin1', 128, 132) !== 'DICM') {
    throw new Error('not a Part 10 file');
  }
  let position = 132;
  while (bytes.readUInt16LE(position) === 0x0002) {
    const vr = bytes.toString('latin1', position + 4, position + 6);
    position += LONG_VRS.has(vr) ? 12 + bytes.readUInt32LE(position + 8) : 8 + bytes.readUInt16LE(position + 6);
  }
  return position;
}

/** Skips the items of an undefined-length sequence (explicit VR) or the fragments of pixel data. */
function skipUndefined(bytes: Buffer, from: number): number {
  let position = from;
  let depth = 1;
  while (position + 8 <= bytes.length) {
    const group = bytes.readUInt16LE(position);
    const number = bytes.readUInt16LE(position + 2);
    if (group === 0xfffe) {
      const length = bytes.readUInt32LE(position + 4);
      position += 8;
      if (number === 0xe0dd) {
        depth -= 1;
        if (depth === 0) {
          return position;
        }
      } else if (number === 0xe000 && length !== UNDEFINED) {
        position += length; // a fragment or a defined-length item: skipped whole
      }
      continue;
    }
    const vr = bytes.toString('latin1', position + 4, position + 6);
    const long = LONG_VRS.has(vr);
    const length = long ? bytes.readUInt32LE(position + 8) : bytes.readUInt16LE(position + 6);
    position += long ? 12 : 8;
    if (length === UNDEFINED) {
      depth += 1;
    } else {
      position += length;
    }
  }
  return bytes.length;
}

/** The top-level elements of the dataset, in file order. */
export function topLevelElements(bytes: Buffer): TopElement[] {
  const elements: TopElement[] = [];
  let position = datasetStart(bytes);
  while (position + 8 <= bytes.length) {
    const tag = ((bytes.readUInt16LE(position) << 16) | bytes.readUInt16LE(position + 2)) >>> 0;
    const vr = bytes.toString('latin1', position + 4, position + 6);
    const long = LONG_VRS.has(vr);
    const length = long ? bytes.readUInt32LE(position + 8) : bytes.readUInt16LE(position + 6);
    const valueOffset = position + (long ? 12 : 8);
    const end = length === UNDEFINED ? skipUndefined(bytes, valueOffset) : valueOffset + length;
    elements.push({ tag, offset: position, end });
    position = end;
  }
  return elements;
}

/** Inserts `insertion` before the first top-level element whose tag is above `tag`. */
export function insertAfterTag(bytes: Buffer, tag: number, insertion: Buffer): Buffer {
  const next = topLevelElements(bytes).find((e) => e.tag > tag);
  if (!next) {
    throw new Error('no element to insert before');
  }
  return Buffer.concat([bytes.subarray(0, next.offset), insertion, bytes.subarray(next.offset)]);
}

/** The string value of a top-level element (trailing NUL and spaces trimmed). */
export function topLevelString(bytes: Buffer, tag: number): string {
  const found = topLevelElements(bytes).find((e) => e.tag === tag);
  if (!found) {
    throw new Error(`no element ${tag.toString(16)}`);
  }
  return bytes.toString('latin1', found.offset + 8, found.end).replace(/[\0 ]+$/, '');
}

// The quirks.

/** The file ends right after its last pixel data fragment: the closing sequence delimiter is cut off. */
export function withoutPixelDataDelimiter(bytes: Buffer): Buffer {
  if (!bytes.subarray(bytes.length - 8).equals(delimiter(0xe0dd, 0))) {
    throw new Error('the file does not end with a sequence delimiter');
  }
  return bytes.subarray(0, bytes.length - 8);
}

/**
 * A vendor's protocol sequence written as UN with undefined length whose items are explicit VR, as
 * some mammography systems write it (PS3.5 6.2.2 says the items of such a UN are implicit VR).
 */
export function withUnSequenceOfExplicitItems(bytes: Buffer): Buffer {
  const itemContent = Buffer.concat([
    element(0x0008, 0x0100, 'SH', Buffer.from('PROTO1', 'latin1')),
    element(0x0018, 0x1030, 'LO', Buffer.from('BREAST ROUTINE', 'latin1')),
    element(0x0018, 0x0060, 'DS', Buffer.from('28', 'latin1')),
  ]);
  const sequence = Buffer.concat([
    delimiter(0xe000, UNDEFINED), itemContent, delimiter(0xe00d, 0),
    delimiter(0xe000, itemContent.length), itemContent,
    delimiter(0xe0dd, 0),
  ]);
  const privateGroup = Buffer.concat([
    element(0x0029, 0x0010, 'LO', Buffer.from('VENDOR PROTOCOL ', 'latin1')),
    element(0x0029, 0x1010, 'UN', sequence, UNDEFINED),
  ]);
  return insertAfterTag(bytes, 0x00290000, privateGroup);
}

/**
 * The command of the network message that carried the instance (a C-STORE request), stored with its
 * dataset, as some archives write it. `affectedSopInstanceUid` defaults to the instance's own UID.
 */
export function withCommandGroup(bytes: Buffer, affectedSopInstanceUid?: string): Buffer {
  const sopClass = topLevelString(bytes, 0x00080016);
  const sopInstance = affectedSopInstanceUid ?? topLevelString(bytes, 0x00080018);
  const rest = Buffer.concat([
    element(0x0000, 0x0002, 'UI', uidValue(sopClass)),
    element(0x0000, 0x0100, 'US', Buffer.from([0x01, 0x00])),
    element(0x0000, 0x0110, 'US', Buffer.from([0x07, 0x00])),
    element(0x0000, 0x0700, 'US', Buffer.from([0x00, 0x00])),
    element(0x0000, 0x0800, 'US', Buffer.from([0x02, 0x01])),
    element(0x0000, 0x1000, 'UI', uidValue(sopInstance)),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(rest.length, 0);
  const start = datasetStart(bytes);
  return Buffer.concat([bytes.subarray(0, start), element(0x0000, 0x0000, 'UL', groupLength), rest, bytes.subarray(start)]);
}

/** The first item delimiter followed by a sequence delimiter becomes a sequence delimiter (same length). */
export function withSequenceDelimiterEndingItem(bytes: Buffer): Buffer {
  const pattern = Buffer.concat([delimiter(0xe00d, 0), delimiter(0xe0dd, 0)]);
  const at = bytes.indexOf(pattern);
  const pixelData = topLevelElements(bytes).find((e) => e.tag === 0x7fe00010);
  if (at < 0 || (pixelData && at > pixelData.offset)) {
    throw new Error('no item delimiter followed by a sequence delimiter before the pixel data');
  }
  const copy = Buffer.from(bytes);
  copy.writeUInt16LE(0xe0dd, at + 2);
  return copy;
}

/** A private creator whose value has odd length (the standard pads every value to even length). */
export function withOddLengthValue(bytes: Buffer): Buffer {
  return insertAfterTag(bytes, 0x00290000, element(0x0029, 0x0010, 'LO', Buffer.from('ODD CREATOR', 'latin1')));
}

/** A second element with the given tag right after the first, holding another UID. */
export function withDuplicateUid(bytes: Buffer, tag: number, uid: string): Buffer {
  const found = topLevelElements(bytes).find((e) => e.tag === tag);
  if (!found) {
    throw new Error(`no element ${tag.toString(16)}`);
  }
  const duplicate = element(tag >>> 16, tag & 0xffff, 'UI', uidValue(uid));
  return Buffer.concat([bytes.subarray(0, found.end), duplicate, bytes.subarray(found.end)]);
}
