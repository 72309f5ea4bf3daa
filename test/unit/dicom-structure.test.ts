import { describe, expect, it } from 'vitest';
import { FileSource } from '../../electron/services/import/file-source.ts';
import { MalformedError, TruncatedError, guessEncoding, walkDataset } from '../../electron/services/import/dicom-structure.ts';

const LE_EXPLICIT = { littleEndian: true, explicitVr: true };

/** An explicit VR little endian element. */
function element(group: number, elementNumber: number, vr: string, value: Buffer, declaredLength?: number): Buffer {
  const long = ['OB', 'OW', 'SQ', 'UN', 'UT'].includes(vr);
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(group, 0);
  head.writeUInt16LE(elementNumber, 2);
  head.write(vr, 4, 'latin1');
  if (long) {
    head.writeUInt32LE(declaredLength ?? value.length, 8);
  } else {
    head.writeUInt16LE(declaredLength ?? value.length, 6);
  }
  return Buffer.concat([head, value]);
}

function item(tagElement: number, value: Buffer, declaredLength?: number): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16LE(0xfffe, 0);
  head.writeUInt16LE(tagElement, 2);
  head.writeUInt32LE(declaredLength ?? value.length, 4);
  return Buffer.concat([head, value]);
}

const UNDEFINED = 0xffffffff;
const header = Buffer.concat([element(0x0008, 0x0018, 'UI', Buffer.from('1.2.3.4\0')), element(0x0010, 0x0010, 'PN', Buffer.from('DOE^JANE'))]);

function walk(bytes: Buffer): ReturnType<typeof walkDataset> {
  return walkDataset(FileSource.fromBuffer(bytes), 0, LE_EXPLICIT);
}

describe('dataset structure walk', () => {
  it('finds where native pixel data starts in a whole file', () => {
    const pixels = element(0x7fe0, 0x0010, 'OW', Buffer.alloc(64));
    expect(walk(Buffer.concat([header, pixels]))).toEqual({ pixelDataOffset: header.length, headerEnd: header.length });
  });

  it('reports native pixel data cut short, naming the element', () => {
    const pixels = element(0x7fe0, 0x0010, 'OW', Buffer.alloc(40), 64);
    expect(() => walk(Buffer.concat([header, pixels]))).toThrow(TruncatedError);
    expect(() => walk(Buffer.concat([header, pixels]))).toThrow(/\(7FE0,0010\) at byte \d+ runs past the end of the file/);
  });

  it('walks encapsulated fragments and reports a missing last fragment', () => {
    const fragments = Buffer.concat([item(0xe000, Buffer.alloc(0)), item(0xe000, Buffer.alloc(100)), item(0xe0dd, Buffer.alloc(0))]);
    const whole = Buffer.concat([header, element(0x7fe0, 0x0010, 'OB', fragments, UNDEFINED)]);
    expect(walk(whole).pixelDataOffset).toBe(header.length);
    expect(() => walk(whole.subarray(0, whole.length - 20))).toThrow(TruncatedError);
  });

  it('walks nested undefined-length sequences and items', () => {
    const inner = Buffer.concat([element(0x0008, 0x0100, 'SH', Buffer.from('399162004 ')), item(0xe00d, Buffer.alloc(0))]);
    const sequence = Buffer.concat([item(0xe000, inner, UNDEFINED), item(0xe0dd, Buffer.alloc(0))]);
    const whole = Buffer.concat([header, element(0x0054, 0x0220, 'SQ', sequence, UNDEFINED)]);
    expect(walk(whole)).toEqual({ pixelDataOffset: null, headerEnd: whole.length });
    expect(() => walk(whole.subarray(0, whole.length - 8))).toThrow(TruncatedError);
  });

  it('rejects a sequence holding something other than items', () => {
    const bogus = Buffer.concat([element(0x0008, 0x0100, 'SH', Buffer.from('XX')), item(0xe0dd, Buffer.alloc(0))]);
    expect(() => walk(Buffer.concat([header, element(0x0054, 0x0220, 'SQ', bogus, UNDEFINED)]))).toThrow(MalformedError);
  });

  it('rejects sequences nested beyond reason instead of overflowing the stack', () => {
    let nested = Buffer.alloc(0);
    for (let depth = 0; depth < 100; depth += 1) {
      const content = Buffer.concat([element(0x0054, 0x0220, 'SQ', Buffer.concat([item(0xe000, Buffer.concat([nested, item(0xe00d, Buffer.alloc(0))]), UNDEFINED), item(0xe0dd, Buffer.alloc(0))]), UNDEFINED)]);
      nested = content;
    }
    expect(() => walk(nested)).toThrow(/nested deeper than/);
  });

  it('accepts zero padding after the last element, not other stray bytes', () => {
    expect(walk(Buffer.concat([header, Buffer.alloc(4)])).headerEnd).toBe(header.length + 4);
    expect(() => walk(Buffer.concat([header, Buffer.from([1, 2, 3])]))).toThrow(TruncatedError);
  });
});

describe('encoding guess for files without meta information', () => {
  it('recognises explicit and implicit little endian, and explicit big endian', () => {
    expect(guessEncoding(element(0x0008, 0x0005, 'CS', Buffer.from('ISO_IR 100')), 0)).toEqual({ littleEndian: true, explicitVr: true });
    const implicit = Buffer.from([0x08, 0x00, 0x05, 0x00, 0x0a, 0x00, 0x00, 0x00]);
    expect(guessEncoding(implicit, 0)).toEqual({ littleEndian: true, explicitVr: false });
    const big = Buffer.from([0x00, 0x08, 0x00, 0x05, 0x43, 0x53, 0x00, 0x0a]);
    expect(guessEncoding(big, 0)).toEqual({ littleEndian: false, explicitVr: true });
  });

  it('does not take text, archives or programs for DICOM', () => {
    for (const text of ['%PDF-1.4', 'MZ\x90\x00\x03\x00\x00\x00', '[autorun]', 'PK\x03\x04\x14\x00\x00\x00']) {
      expect(guessEncoding(Buffer.from(text, 'latin1'), 0)).toBeNull();
    }
  });
});
