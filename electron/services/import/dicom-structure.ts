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

class Walker {
  private readonly source: FileSource;
  private readonly encoding: Encoding;

  constructor(source: FileSource, encoding: Encoding) {
    this.source = source;
    this.encoding = encoding;
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
      if (layout && element.tag === 0) {
        // Group 0000 has no place in a dataset: the rest must be zero padding, read in large chunks.
        for (let at = position; at < end; at += 1024 * 1024) {
          if (!this.source.read(at, Math.min(1024 * 1024, end - at)).every((b) => b === 0)) {
            throw new MalformedError(`element (0000,0000) at byte ${position} in the dataset`);
          }
        }
        return end;
      }
      if (element.tag === ITEM_DELIMITER || element.tag === SEQUENCE_DELIMITER) {
        if (layout) {
          throw new MalformedError(`unexpected delimiter ${formatTag(element.tag)} at byte ${position}`);
        }
        return element.valueOffset;
      }
      if (layout && element.tag === PIXEL_DATA && layout.pixelDataOffset === null) {
        layout.pixelDataOffset = position;
        layout.headerEnd = position;
      }
      if (element.length === UNDEFINED_LENGTH) {
        if (element.tag === PIXEL_DATA) {
          position = this.fragments(element.valueOffset);
        } else {
          // Undefined-length SQ, UN (implicit inside) or an implicit-VR sequence.
          const innerExplicit = element.vr === 'UN' ? false : explicit;
          position = this.items(element.tag, element.valueOffset, innerExplicit, depth + 1);
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

/** Proves the dataset from `start` to the end of the source is whole; tells where pixel data starts. */
export function walkDataset(source: FileSource, start: number, encoding: Encoding): DatasetLayout {
  const layout: DatasetLayout = { pixelDataOffset: null, headerEnd: source.size };
  new Walker(source, encoding).elements(start, source.size, encoding.explicitVr, 0, layout);
  return layout;
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
