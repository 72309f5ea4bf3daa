/** Reading and writing File Meta Information (group 0002, always explicit VR little endian). */
const LONG_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN', 'UC', 'UR']);

/** One group 0002 element, its value padded to even length. */
export function metaElement(elementNumber: number, vr: string, value: Buffer): Buffer {
  const padded = value.length % 2 === 1 ? Buffer.concat([value, Buffer.from([0])]) : value;
  const long = LONG_VRS.has(vr);
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(0x0002, 0);
  head.writeUInt16LE(elementNumber, 2);
  head.write(vr, 4, 'latin1');
  if (long) {
    head.writeUInt32LE(padded.length, 8);
  } else {
    head.writeUInt16LE(padded.length, 6);
  }
  return Buffer.concat([head, padded]);
}

/** Preamble, "DICM", the group length, then the given elements (sorted by element number). */
export function part10Header(elements: Buffer[]): Buffer {
  const sorted = [...elements].sort((a, b) => a.readUInt16LE(2) - b.readUInt16LE(2));
  const group = Buffer.concat(sorted);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(group.length, 0);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), metaElement(0x0000, 'UL', length), group]);
}

/** One group 0002 element as read: its element number, VR, value, and where the next element starts. */
export interface MetaElementRead {
  element: number;
  vr: string;
  value: Buffer;
  end: number;
}

/** The group 0002 elements from `position` on, in file order; stops where the group (or the bytes) end. */
export function* readMetaElements(bytes: Buffer, position: number): Generator<MetaElementRead> {
  while (position + 8 <= bytes.length && bytes.readUInt16LE(position) === 0x0002) {
    const element = bytes.readUInt16LE(position + 2);
    const vr = bytes.toString('latin1', position + 4, position + 6);
    const long = LONG_VRS.has(vr);
    const length = long ? bytes.readUInt32LE(position + 8) : bytes.readUInt16LE(position + 6);
    const valueStart = position + (long ? 12 : 8);
    position = valueStart + length;
    yield { element, vr, value: bytes.subarray(valueStart, position), end: position };
  }
}
