import type { ImportNote, ImportQuirk } from '../../../shared/import/outcomes.ts';
import type { FileSource } from './file-source.ts';

/**
 * Walks a DICOM dataset element by element without loading values, to prove that every element,
 * sequence item and pixel data fragment ends inside the file. Parsers told to stop before pixel
 * data cannot see a file cut short in its pixel data; this walk can, and costs a few reads.
 */

export class TruncatedError extends Error {
  readonly tag: string;
  readonly offset: number;
  readonly needed: number;
  readonly fileSize: number;

  constructor(tag: string, offset: number, needed: number, fileSize: number) {
    super(
      `element ${tag} at byte ${offset} runs past the end of the file ` +
        `(needs ${needed} bytes up to byte ${offset + needed}, file has ${fileSize})`,
    );
    this.name = 'TruncatedError';
    this.tag = tag;
    this.offset = offset;
    this.needed = needed;
    this.fileSize = fileSize;
  }
}

export class MalformedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedError';
  }
}

export interface Encoding {
  littleEndian: boolean;
  explicitVr: boolean;
}

export interface DatasetLayout {
  /** Offset of the Pixel Data element header, or null when there is none. */
  pixelDataOffset: number | null;
  /** Where the header ends: the pixel data element, or the end of the dataset. */
  headerEnd: number;
}

/** Replaces `remove` bytes at `offset` of the walked source with `insert`: one step of a repaired reading. */
export interface DatasetEdit {
  offset: number;
  remove: number;
  insert: Buffer;
}

/**
 * What the walk read through besides the standard: notes naming each quirk, the edits that turn the
 * bytes into a standard reading (for the header parser and the viewer; the stored file is never
 * edited), and identifying attributes found twice with different values.
 */
export interface DatasetReading {
  notes: ImportNote[];
  edits: DatasetEdit[];
  ambiguities: string[];
}

export function emptyReading(): DatasetReading {
  return { notes: [], edits: [], ambiguities: [] };
}

/** Identifying attributes: the same one twice with different values leaves the instance's identity in doubt. */
const IDENTIFYING: ReadonlyMap<number, string> = new Map([
  [0x00080018, 'SOP Instance UID'],
  [0x0020000d, 'Study Instance UID'],
  [0x0020000e, 'Series Instance UID'],
  [0x00100020, 'Patient ID'],
]);
/** Affected SOP Instance UID, of a stray command group: another statement of the SOP Instance UID. */
const AFFECTED_SOP_INSTANCE_UID = 0x00001000;
const SOP_INSTANCE_UID = 0x00080018;

const UNDEFINED_LENGTH = 0xffffffff;
const MAX_DEPTH = 64;
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UR', 'UT', 'UN', 'SV', 'UV']);
const ITEM = 0xfffee000;
const ITEM_DELIMITER = 0xfffee00d;
const SEQUENCE_DELIMITER = 0xfffee0dd;
const PIXEL_DATA = 0x7fe00010;

export function formatTag(tag: number): string {
  const hex = (tag >>> 0).toString(16).toUpperCase().padStart(8, '0');
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}

interface ElementHeader {
  tag: number;
  vr: string | null;
  length: number;
  valueOffset: number;
}

/** Values as compared for identity: padding (NUL, spaces) at either end does not count. */
function identityValue(bytes: Buffer): string {
  return bytes.toString('latin1').replace(/^[\0 ]+|[\0 ]+$/g, '');
}

/** Notes kept per kind of quirk in one file; the rest are counted. */
export const NOTES_PER_KIND = 5;

class Walker {
  private readonly source: FileSource;
  private readonly encoding: Encoding;
  private readonly reading: DatasetReading;
  private readonly topLevelTags = new Set<number>();
  private readonly identities = new Map<number, string>();
  private affectedSopInstanceUid: string | null = null;
  private oddLengths = 0;
  private firstOddLength = '';
  private commandElements = 0;
  private firstCommandElement = '';

  constructor(source: FileSource, encoding: Encoding, reading: DatasetReading) {
    this.source = source;
    this.encoding = encoding;
    this.reading = reading;
  }

  /** How many notes of each kind were made, kept or not: a hostile file repeats one quirk 200,000 times. */
  private readonly noteCounts = new Map<ImportQuirk, number>();

  /** Records a quirk; past NOTES_PER_KIND of one kind only the count grows, said once by finish(). */
  private note(quirk: ImportQuirk, detail: string): void {
    const seen = (this.noteCounts.get(quirk) ?? 0) + 1;
    this.noteCounts.set(quirk, seen);
    if (seen <= NOTES_PER_KIND) {
      this.reading.notes.push({ quirk, detail });
    }
  }

  private noteOmitted(): void {
    for (const [quirk, seen] of this.noteCounts) {
      if (seen > NOTES_PER_KIND) {
        this.reading.notes.push({ quirk, detail: `and ${seen - NOTES_PER_KIND} more of this kind (${seen} in all)` });
      }
    }
  }

  private patch(offset: number, bytes: Buffer): void {
    this.reading.edits.push({ offset, remove: bytes.length, insert: bytes });
  }

  /** Notes the quirks found only once the whole dataset is walked. */
  finish(): void {
    if (this.commandElements > 0) {
      this.note(
        'command-group-elements',
        `${this.commandElements} command group element${this.commandElements === 1 ? '' : 's'} in the dataset, the first ${this.firstCommandElement}`,
      );
    }
    if (this.oddLengths > 0) {
      this.note(
        'odd-value-length',
        `${this.oddLengths} value${this.oddLengths === 1 ? '' : 's'} of odd length, the first ${this.firstOddLength}`,
      );
    }
    this.noteOmitted();
    const sopInstanceUid = this.identities.get(SOP_INSTANCE_UID);
    if (this.affectedSopInstanceUid !== null && sopInstanceUid !== undefined && this.affectedSopInstanceUid !== sopInstanceUid) {
      this.reading.ambiguities.push(
        `SOP Instance UID (0008,0018) is ${sopInstanceUid} but the stray command group's Affected SOP Instance UID (0000,1000) is ${this.affectedSopInstanceUid}`,
      );
    }
  }

  private valueText(element: ElementHeader): string | null {
    if (element.length === UNDEFINED_LENGTH || element.length > 1024) {
      return null;
    }
    this.need(element.tag, element.valueOffset, element.length);
    return identityValue(this.source.read(element.valueOffset, element.length));
  }

  /** Top-level bookkeeping: duplicated elements, and identifying values stated twice. */
  private topLevel(element: ElementHeader, position: number): void {
    const name = IDENTIFYING.get(element.tag);
    if (this.topLevelTags.has(element.tag)) {
      const first = name ? this.identities.get(element.tag) : undefined;
      const value = name ? this.valueText(element) : null;
      if (name && first !== undefined && value !== null && value !== first) {
        this.reading.ambiguities.push(`${name} ${formatTag(element.tag)} appears twice with different values: ${first} and ${value}`);
      } else {
        this.note('duplicate-element', `${formatTag(element.tag)} appears twice, the second time at byte ${position}`);
      }
      return;
    }
    this.topLevelTags.add(element.tag);
    if (name) {
      const value = this.valueText(element);
      if (value !== null) {
        this.identities.set(element.tag, value);
      }
    }
  }

  private u16(bytes: Buffer, at: number): number {
    return this.encoding.littleEndian ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at);
  }

  private u32(bytes: Buffer, at: number): number {
    return this.encoding.littleEndian ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at);
  }

  private need(tag: number, offset: number, needed: number): void {
    if (offset + needed > this.source.size) {
      throw new TruncatedError(formatTag(tag), offset, needed, this.source.size);
    }
  }

  header(offset: number, explicit: boolean): ElementHeader {
    this.need(0, offset, 8);
    const bytes = this.source.read(offset, 8);
    const tag = ((this.u16(bytes, 0) << 16) | this.u16(bytes, 2)) >>> 0;
    if (tag >>> 16 === 0xfffe || !explicit) {
      return { tag, vr: null, length: this.u32(bytes, 4), valueOffset: offset + 8 };
    }
    const vr = bytes.toString('latin1', 4, 6);
    if (LONG_VRS.has(vr)) {
      this.need(tag, offset, 12);
      const long = this.source.read(offset + 8, 4);
      return { tag, vr, length: this.u32(long, 0), valueOffset: offset + 12 };
    }
    return { tag, vr, length: this.u16(bytes, 6), valueOffset: offset + 8 };
  }

  /** Walks elements until `end` or a delimiter; returns the offset after what it consumed. */
  elements(offset: number, end: number, explicit: boolean, depth: number, layout: DatasetLayout | null): number {
    if (depth > MAX_DEPTH) {
      throw new MalformedError(`sequences nested deeper than ${MAX_DEPTH} levels`);
    }
    let position = offset;
    while (position < end) {
      if (layout && end - position < 8) {
        // Trailing bytes too short for an element: harmless when they are padding.
        const rest = this.source.read(position, end - position);
        if (rest.every((b) => b === 0)) {
          return end;
        }
        throw new TruncatedError('(element header)', position, 8, this.source.size);
      }
      const element = this.header(position, explicit);
      if (layout && element.tag >>> 16 === 0) {
        if (this.zeroToEnd(position, end)) {
          return end; // zero padding after the last element
        }
        position = this.commandElement(element, position);
        continue;
      }
      if (element.tag === ITEM_DELIMITER || element.tag === SEQUENCE_DELIMITER) {
        if (layout) {
          throw new MalformedError(`unexpected delimiter ${formatTag(element.tag)} at byte ${position}`);
        }
        if (element.tag === SEQUENCE_DELIMITER) {
          this.sequenceDelimiterInItem(position);
        }
        return element.valueOffset;
      }
      if (layout) {
        this.topLevel(element, position);
      }
      if (element.length !== UNDEFINED_LENGTH && element.length % 2 === 1) {
        this.oddLengths += 1;
        if (this.oddLengths === 1) {
          this.firstOddLength = `${formatTag(element.tag)} (${element.length} bytes) at byte ${position}`;
        }
      }
      if (layout && element.tag === PIXEL_DATA && layout.pixelDataOffset === null) {
        layout.pixelDataOffset = position;
        layout.headerEnd = position;
      }
      if (element.length === UNDEFINED_LENGTH) {
        if (element.tag === PIXEL_DATA) {
          position = this.fragments(element.valueOffset);
        } else {
          // Undefined-length SQ, UN (implicit inside, or read through when a vendor wrote it explicit)
          // or an implicit-VR sequence.
          position =
            element.vr === 'UN'
              ? this.unknownSequence(element, position, depth)
              : this.items(element.tag, element.valueOffset, explicit, depth + 1);
        }
      } else {
        this.need(element.tag, element.valueOffset, element.length);
        position = element.valueOffset + element.length;
      }
    }
    if (position > end) {
      throw new MalformedError(`an element crosses the end of its container at byte ${end}`);
    }
    return position;
  }

  private zeroToEnd(position: number, end: number): boolean {
    for (let at = position; at < end; at += 1024 * 1024) {
      if (!this.source.read(at, Math.min(1024 * 1024, end - at)).every((b) => b === 0)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A command group element (0000,xxxx) in the dataset: some archives store the network message's
   * command with the dataset. Read through and noted; the repaired reading leaves it out.
   */
  private commandElement(element: ElementHeader, position: number): number {
    const plausible =
      element.length !== UNDEFINED_LENGTH && (element.vr === null || KNOWN_VRS.has(element.vr)) && element.length <= 1024;
    if (!plausible) {
      throw new MalformedError(`element ${formatTag(element.tag)} at byte ${position} in the dataset`);
    }
    this.need(element.tag, element.valueOffset, element.length);
    if (element.tag === AFFECTED_SOP_INSTANCE_UID) {
      this.affectedSopInstanceUid = identityValue(this.source.read(element.valueOffset, element.length));
    }
    const next = element.valueOffset + element.length;
    this.commandElements += 1;
    if (this.commandElements === 1) {
      this.firstCommandElement = `${formatTag(element.tag)} at byte ${position}`;
    }
    this.reading.edits.push({ offset: position, remove: next - position, insert: Buffer.alloc(0) });
    return next;
  }

  /**
   * A sequence delimiter that closes an item (dcmtk reads it so with its "replace wrong delimiter"
   * option): accepted when what follows is the sequence's next item or its own delimiter, so the
   * reading is unambiguous. The repaired reading writes the item delimiter in its place.
   */
  private sequenceDelimiterInItem(position: number): void {
    if (position + 16 > this.source.size) {
      throw new TruncatedError(formatTag(SEQUENCE_DELIMITER), position, 16, this.source.size);
    }
    const next = this.source.read(position + 8, 4);
    const nextTag = ((this.u16(next, 0) << 16) | this.u16(next, 2)) >>> 0;
    if (nextTag !== ITEM && nextTag !== SEQUENCE_DELIMITER) {
      throw new MalformedError(`sequence delimiter at byte ${position} ends an item and its sequence without an item delimiter`);
    }
    this.note('sequence-delimiter-ends-item', `sequence delimiter (FFFE,E0DD) at byte ${position} closes an item`);
    const tag = Buffer.alloc(4);
    if (this.encoding.littleEndian) {
      tag.writeUInt16LE(0xfffe, 0);
      tag.writeUInt16LE(0xe00d, 2);
    } else {
      tag.writeUInt16BE(0xfffe, 0);
      tag.writeUInt16BE(0xe00d, 2);
    }
    this.patch(position, tag);
  }

  /**
   * A UN element of undefined length. PS3.5 6.2.2 says its items are implicit VR little endian; some
   * vendors write them in the dataset's explicit VR. The standard reading is tried first, then the
   * explicit one; whichever parses is kept (notes and edits of a failed try are dropped). Read as
   * explicit, the element is in truth a sequence: the repaired reading declares it SQ (two bytes, same
   * length), so readers parse its items as written instead of as garbage.
   */
  private unknownSequence(element: ElementHeader, position: number, depth: number): number {
    const notes = this.reading.notes.length;
    const edits = this.reading.edits.length;
    const odd = { count: this.oddLengths, first: this.firstOddLength };
    const undo = (): void => {
      this.reading.notes.length = notes;
      this.reading.edits.length = edits;
      this.oddLengths = odd.count;
      this.firstOddLength = odd.first;
    };
    try {
      return this.items(element.tag, element.valueOffset, false, depth + 1);
    } catch (standard) {
      undo();
      if (!this.encoding.explicitVr || !(standard instanceof MalformedError || standard instanceof TruncatedError)) {
        throw standard;
      }
      let end: number;
      try {
        end = this.items(element.tag, element.valueOffset, true, depth + 1);
      } catch (fallback) {
        undo();
        throw fallback instanceof TruncatedError && standard instanceof MalformedError ? fallback : standard;
      }
      this.reading.notes.splice(notes, 0, {
        quirk: 'un-sequence-explicit-items',
        detail: `${formatTag(element.tag)} at byte ${position} is UN of undefined length with explicit VR items (read as a sequence in explicit VR)`,
      });
      this.reading.edits.splice(edits, 0, { offset: position + 4, remove: 2, insert: Buffer.from('SQ', 'latin1') });
      return end;
    }
  }

  items(sequenceTag: number, offset: number, explicit: boolean, depth: number): number {
    let position = offset;
    for (;;) {
      const item = this.header(position, explicit);
      if (item.tag === SEQUENCE_DELIMITER) {
        return item.valueOffset;
      }
      if (item.tag !== ITEM) {
        throw new MalformedError(
          `sequence ${formatTag(sequenceTag)} holds ${formatTag(item.tag)} at byte ${position} where an item belongs`,
        );
      }
      if (item.length === UNDEFINED_LENGTH) {
        position = this.elements(item.valueOffset, this.source.size, explicit, depth + 1, null);
      } else {
        this.need(sequenceTag, item.valueOffset, item.length);
        position = item.valueOffset + item.length;
      }
    }
  }

  fragments(offset: number): number {
    let position = offset;
    for (;;) {
      if (position === this.source.size && position > offset) {
        // The last fragment is whole and the file ends: only the closing delimiter is missing.
        this.note('pixel-data-delimiter-missing', `the file ends after the last pixel data fragment, at byte ${position}`);
        this.reading.edits.push({ offset: position, remove: 0, insert: sequenceDelimiter(this.encoding.littleEndian) });
        return position;
      }
      const fragment = this.header(position, true);
      if (fragment.tag === SEQUENCE_DELIMITER) {
        return fragment.valueOffset;
      }
      if (fragment.tag !== ITEM || fragment.length === UNDEFINED_LENGTH) {
        throw new MalformedError(`encapsulated pixel data holds ${formatTag(fragment.tag)} at byte ${position}`);
      }
      this.need(PIXEL_DATA, fragment.valueOffset, fragment.length);
      position = fragment.valueOffset + fragment.length;
    }
  }
}

function sequenceDelimiter(littleEndian: boolean): Buffer {
  const bytes = Buffer.alloc(8);
  if (littleEndian) {
    bytes.writeUInt16LE(0xfffe, 0);
    bytes.writeUInt16LE(0xe0dd, 2);
  } else {
    bytes.writeUInt16BE(0xfffe, 0);
    bytes.writeUInt16BE(0xe0dd, 2);
  }
  return bytes;
}

/**
 * Proves the dataset from `start` to the end of the source is whole; tells where pixel data starts.
 * Quirks it reads through are put in `reading` (notes, repairing edits, identity in doubt).
 */
export function walkDataset(
  source: FileSource,
  start: number,
  encoding: Encoding,
  reading: DatasetReading = emptyReading(),
): DatasetLayout {
  const layout: DatasetLayout = { pixelDataOffset: null, headerEnd: source.size };
  const walker = new Walker(source, encoding, reading);
  walker.elements(start, source.size, encoding.explicitVr, 0, layout);
  walker.finish();
  return layout;
}

/**
 * Applies a reading's edits to `bytes`, which hold the walked source from offset `base`; edits outside
 * that range are left out (an insertion at its very end, such as a missing delimiter, is kept).
 */
export function applyEdits(bytes: Buffer, base: number, edits: readonly DatasetEdit[]): Buffer {
  const inRange = edits
    .filter((e) => e.offset >= base && e.offset + e.remove <= base + bytes.length)
    .sort((a, b) => a.offset - b.offset);
  if (inRange.length === 0) {
    return bytes;
  }
  const parts: Buffer[] = [];
  let at = 0;
  for (const edit of inRange) {
    const from = edit.offset - base;
    parts.push(bytes.subarray(at, from), edit.insert);
    at = from + edit.remove;
  }
  parts.push(bytes.subarray(at));
  return Buffer.concat(parts);
}

const KNOWN_VRS = new Set([
  'AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FL', 'FD', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW',
  'PN', 'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV',
]);

/** Guesses the encoding of a dataset whose transfer syntax is not declared, from its first element. */
export function guessEncoding(bytes: Buffer, offset: number): Encoding | null {
  if (bytes.length < offset + 8) {
    return null;
  }
  const vr = bytes.toString('latin1', offset + 4, offset + 6);
  const explicitVr = KNOWN_VRS.has(vr);
  const groupLe = bytes.readUInt16LE(offset);
  const groupBe = bytes.readUInt16BE(offset);
  // Datasets open with a low group (0008 mostly); anything else is not taken for DICOM without a preamble.
  const plausible = (group: number): boolean => group >= 0x0001 && group <= 0x0010;
  if (plausible(groupLe)) {
    return { littleEndian: true, explicitVr };
  }
  if (plausible(groupBe) && explicitVr) {
    return { littleEndian: false, explicitVr };
  }
  return null;
}
