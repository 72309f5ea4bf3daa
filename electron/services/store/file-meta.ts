/** Writing File Meta Information (group 0002, always explicit VR little endian). */
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

export { LONG_VRS as META_LONG_VRS };
