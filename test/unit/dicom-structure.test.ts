import { describe, expect, it } from 'vitest';
import { FileSource } from '../../electron/services/import/file-source.ts';
import {
  MalformedError, NOTES_PER_KIND, TruncatedError, applyEdits, emptyReading, guessEncoding, walkDataset,
} from '../../electron/services/import/dicom-structure.ts';
import type { DatasetReading } from '../../electron/services/import/dicom-structure.ts';

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

function read(bytes: Buffer): DatasetReading {
  const reading = emptyReading();
  walkDataset(FileSource.fromBuffer(bytes), 0, LE_EXPLICIT, reading);
  return reading;
}

describe('quirks the walk reads through, each noted with the edit that repairs it', () => {
  const fragments = Buffer.concat([item(0xe000, Buffer.alloc(0)), item(0xe000, Buffer.alloc(100))]);
  const closed = Buffer.concat([header, element(0x7fe0, 0x0010, 'OB', Buffer.concat([fragments, item(0xe0dd, Buffer.alloc(0))]), UNDEFINED)]);

  it('reads pixel data that ends after its last whole fragment, and appends the delimiter', () => {
    const open = closed.subarray(0, closed.length - 8);
    const reading = read(open);
    expect(reading.notes.map((n) => n.quirk)).toEqual(['pixel-data-delimiter-missing']);
    expect(applyEdits(open, 0, reading.edits).equals(closed)).toBe(true);
    expect(read(closed).notes).toEqual([]);
  });

  it('still reports a fragment cut short, or a fragment header cut short, as truncated', () => {
    const open = closed.subarray(0, closed.length - 8);
    expect(() => walk(open.subarray(0, open.length - 1))).toThrow(TruncatedError);
    expect(() => walk(Buffer.concat([open, Buffer.from([0xfe, 0xff, 0x00])]))).toThrow(TruncatedError);
  });

  const explicitItem = Buffer.concat([element(0x0008, 0x0100, 'SH', Buffer.from('PROTO1')), item(0xe00d, Buffer.alloc(0))]);
  const unSequence = (content: Buffer): Buffer =>
    element(0x0029, 0x1010, 'UN', Buffer.concat([item(0xe000, content, UNDEFINED), item(0xe0dd, Buffer.alloc(0))]), UNDEFINED);

  it('reads a UN of undefined length whose items are explicit VR, and declares it SQ in the repaired reading', () => {
    const whole = Buffer.concat([header, unSequence(explicitItem)]);
    const reading = read(whole);
    expect(reading.notes.map((n) => n.quirk)).toEqual(['un-sequence-explicit-items']);
    const repaired = applyEdits(whole, 0, reading.edits);
    expect(repaired.length).toBe(whole.length);
    expect(repaired.toString('latin1', header.length + 4, header.length + 6)).toBe('SQ');
    expect(read(repaired).notes).toEqual([]);
  });

  it('reads a UN of undefined length whose items are implicit VR as the standard says, without a note', () => {
    const implicitElement = Buffer.alloc(8);
    implicitElement.writeUInt16LE(0x0008, 0);
    implicitElement.writeUInt16LE(0x0100, 2);
    implicitElement.writeUInt32LE(6, 4);
    const implicitItem = Buffer.concat([implicitElement, Buffer.from('PROTO1'), item(0xe00d, Buffer.alloc(0))]);
    expect(read(Buffer.concat([header, unSequence(implicitItem)]))).toEqual(emptyReading());
  });

  it('reads a sequence delimiter closing an item when the sequence then ends, and writes an item delimiter there', () => {
    const inner = Buffer.concat([element(0x0008, 0x0100, 'SH', Buffer.from('XX')), item(0xe0dd, Buffer.alloc(0))]);
    const whole = Buffer.concat([header, element(0x0054, 0x0220, 'SQ', Buffer.concat([item(0xe000, inner, UNDEFINED), item(0xe0dd, Buffer.alloc(0))]), UNDEFINED)]);
    const reading = read(whole);
    expect(reading.notes.map((n) => n.quirk)).toEqual(['sequence-delimiter-ends-item']);
    const repaired = applyEdits(whole, 0, reading.edits);
    expect(read(repaired)).toEqual(emptyReading());
    // Without a sequence delimiter (or another item) after it, it would end the sequence too: refused.
    const ambiguous = Buffer.concat([header, element(0x0054, 0x0220, 'SQ', item(0xe000, inner, UNDEFINED), UNDEFINED), element(0x0054, 0x0300, 'SH', Buffer.from('YY'))]);
    expect(() => walk(ambiguous)).toThrow(MalformedError);
  });

  it('reads command group elements in the dataset and leaves them out; other stray bytes stay malformed', () => {
    const command = Buffer.concat([element(0x0000, 0x0100, 'US', Buffer.from([1, 0])), element(0x0000, 0x1000, 'UI', Buffer.from('1.2.3.4\0'))]);
    const whole = Buffer.concat([command, header]);
    const reading = read(whole);
    expect(reading.notes.map((n) => n.quirk)).toEqual(['command-group-elements']);
    expect(reading.ambiguities).toEqual([]);
    expect(applyEdits(whole, 0, reading.edits).equals(header)).toBe(true);
    const other = Buffer.concat([element(0x0000, 0x1000, 'UI', Buffer.from('1.2.3.5\0')), header]);
    expect(read(other).ambiguities).toEqual([
      "SOP Instance UID (0008,0018) is 1.2.3.4 but the stray command group's Affected SOP Instance UID (0000,1000) is 1.2.3.5",
    ]);
    expect(() => walk(Buffer.concat([header, Buffer.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 1])]))).toThrow(MalformedError);
  });

  it('notes odd value lengths once, with how many', () => {
    const odd = Buffer.concat([header, element(0x0029, 0x0010, 'LO', Buffer.from('ODD')), element(0x0029, 0x0011, 'LO', Buffer.from('ODDER'))]);
    expect(read(odd).notes).toEqual([{ quirk: 'odd-value-length', detail: expect.stringMatching(/^2 values of odd length, the first \(0029,0010\)/) as string }]);
  });

  it('finds an identifying attribute twice: with different values its identity is in doubt', () => {
    const twice = (value: string): Buffer => Buffer.concat([header, element(0x0008, 0x0018, 'UI', Buffer.from(value))]);
    expect(read(twice('1.2.3.4\0'))).toEqual({
      notes: [{ quirk: 'duplicate-element', detail: expect.stringMatching(/^\(0008,0018\) appears twice/) as string }],
      edits: [],
      ambiguities: [],
    });
    expect(read(twice('1.2.3.9\0')).ambiguities).toEqual([
      'SOP Instance UID (0008,0018) appears twice with different values: 1.2.3.4 and 1.2.3.9',
    ]);
  });
});

describe('a hostile file that repeats one quirk', () => {
  it('keeps five notes of a kind and counts the rest in one more, instead of 200,000 notes', () => {
    const repeated = Buffer.alloc(10 * 200_000);
    for (let index = 0; index < 200_000; index += 1) {
      element(0x0029, 0x1010, 'LO', Buffer.from('AB')).copy(repeated, index * 10);
    }
    const { notes } = read(Buffer.concat([header, repeated]));
    expect(notes).toHaveLength(NOTES_PER_KIND + 1);
    expect(notes.every((n) => n.quirk === 'duplicate-element')).toBe(true);
    expect(notes.at(-1)?.detail).toBe(`and ${199_999 - NOTES_PER_KIND} more of this kind (199999 in all)`);
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
