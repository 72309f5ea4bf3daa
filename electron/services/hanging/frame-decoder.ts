import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import dicomParser from 'dicom-parser';
import type { DataSet, Element } from 'dicom-parser';

/**
 * The first frame of a stored image as grey values, under plain Node, for analyses that need pixels
 * (the chest-wall hint). Uses the decoders the viewer ships (node_modules), never a new one; a
 * transfer syntax none of them handles under Node is reported with its reason, not guessed at.
 * JPEG 2000 is decoded at a reduced resolution level: the analysis needs a few hundred columns.
 */
export interface GreyFrame {
  rows: number;
  columns: number;
  values: ArrayLike<number>;
  /** MONOCHROME1: low values are bright. */
  invert: boolean;
}

export type FrameResult = { ok: true; frame: GreyFrame } | { ok: false; reason: string };

const NATIVE = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.1.99']);
const JPEG_DCT = new Set(['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51']);
const JPEG_LOSSLESS = new Set(['1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70']);
const JPEG_LS = new Set(['1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.81']);
const JPEG_2000 = new Set(['1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.91']);
const RLE = '1.2.840.10008.1.2.5';

const require = createRequire(import.meta.url);

interface PixelFormat {
  rows: number;
  columns: number;
  bitsAllocated: number;
  signed: boolean;
  invert: boolean;
}

interface Emscripten {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; isSigned?: boolean; componentCount?: number };
  decode(): void;
}
interface J2kDecoder extends Emscripten {
  decodeSubResolution(level: number, layer: number): void;
}
type CodecFactory<T> = (options: { print: () => void; printErr: () => void }) => Promise<T>;

/**
 * Emscripten codecs print progress to stdout; the command line's JSON must stay clean. A new object
 * per codec: Emscripten builds its module into the object it is given.
 */
function quiet(): { print: () => void; printErr: () => void } {
  return { print: () => undefined, printErr: () => undefined };
}
let openJpeg: Promise<{ J2KDecoder: new () => J2kDecoder }> | undefined;
let charls: Promise<{ JpegLSDecoder: new () => Emscripten }> | undefined;

/** A file of the image loader package that its exports map does not list, found beside its package.json. */
async function imageLoaderModule<T>(relative: string): Promise<T> {
  const root = dirname(require.resolve('@cornerstonejs/dicom-image-loader/package.json'));
  return (await import(pathToFileURL(join(root, relative)).href)) as T;
}

function typed(bytes: Uint8Array, format: PixelFormat): ArrayLike<number> {
  // Copy so a 16-bit view never lands on an odd offset.
  const copy = new Uint8Array(bytes);
  if (format.bitsAllocated <= 8) {
    return format.signed ? new Int8Array(copy.buffer) : copy;
  }
  if (format.bitsAllocated === 16) {
    const count = copy.length >> 1;
    return format.signed ? new Int16Array(copy.buffer, 0, count) : new Uint16Array(copy.buffer, 0, count);
  }
  return format.signed ? new Int32Array(copy.buffer, 0, copy.length >> 2) : new Uint32Array(copy.buffer, 0, copy.length >> 2);
}

/** The first frame's compressed bytes: all fragments for a single-frame object. */
function firstFrameBytes(dataSet: DataSet, pixelData: Element, frames: number): Uint8Array {
  if (frames <= 1) {
    return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixelData, 0, pixelData.fragments?.length ?? 0);
  }
  const offsets = pixelData.basicOffsetTable && pixelData.basicOffsetTable.length > 0
    ? pixelData.basicOffsetTable
    : dicomParser.createJPEGBasicOffsetTable(dataSet, pixelData);
  return dicomParser.readEncapsulatedImageFrame(dataSet, pixelData, 0, offsets);
}

async function decodeJpeg2000(bytes: Uint8Array, format: PixelFormat): Promise<GreyFrame> {
  openJpeg ??= (require('@cornerstonejs/codec-openjpeg') as CodecFactory<{ J2KDecoder: new () => J2kDecoder }>)(quiet());
  const decoder = new (await openJpeg).J2KDecoder();
  decoder.getEncodedBuffer(bytes.length).set(bytes);
  // Each resolution level halves both sides; stop where about 256 columns remain.
  let level = Math.min(5, Math.max(0, Math.floor(Math.log2(format.columns / 256))));
  for (;;) {
    try {
      decoder.decodeSubResolution(level, 0);
      break;
    } catch (error) {
      // A codestream with fewer decomposition levels: try the next finer one.
      if (level === 0) {
        throw error;
      }
      level -= 1;
    }
  }
  const info = decoder.getFrameInfo();
  const scale = 2 ** level;
  const rows = Math.ceil(info.height / scale);
  const columns = Math.ceil(info.width / scale);
  const values = typed(decoder.getDecodedBuffer(), { ...format, bitsAllocated: info.bitsPerSample > 8 ? 16 : 8, signed: info.isSigned === true });
  return { rows, columns, values, invert: format.invert };
}

async function decodeJpegDct(bytes: Uint8Array, format: PixelFormat): Promise<GreyFrame> {
  interface JpegImage {
    parse(data: Uint8Array): void;
    colorTransform: boolean;
    getData(width: number, height: number): Uint8Array;
    getData16(width: number, height: number): Uint16Array;
  }
  const { default: Jpeg } = await imageLoaderModule<{ default: new () => JpegImage }>('dist/esm/codecs/jpeg.js');
  const image = new Jpeg();
  image.parse(bytes);
  image.colorTransform = false;
  const values = format.bitsAllocated <= 8 ? image.getData(format.columns, format.rows) : image.getData16(format.columns, format.rows);
  return { rows: format.rows, columns: format.columns, values, invert: format.invert };
}

async function decodeJpegLs(bytes: Uint8Array, format: PixelFormat): Promise<GreyFrame> {
  charls ??= (require('@cornerstonejs/codec-charls') as CodecFactory<{ JpegLSDecoder: new () => Emscripten }>)(quiet());
  const decoder = new (await charls).JpegLSDecoder();
  decoder.getEncodedBuffer(bytes.length).set(bytes);
  decoder.decode();
  const info = decoder.getFrameInfo();
  const values = typed(decoder.getDecodedBuffer(), { ...format, bitsAllocated: info.bitsPerSample > 8 ? 16 : 8 });
  return { rows: info.height, columns: info.width, values, invert: format.invert };
}

function decodeJpegLossless(bytes: Uint8Array, format: PixelFormat): GreyFrame {
  const { Decoder } = require('@cornerstonejs/jpeg-lossless-decoder-js') as {
    Decoder: new () => { decode(buffer: ArrayBufferLike, offset: number, length: number, bytesPerSample: number): ArrayLike<number> & { buffer: ArrayBufferLike } };
  };
  const output = new Decoder().decode(bytes.buffer, bytes.byteOffset, bytes.length, format.bitsAllocated <= 8 ? 1 : 2);
  return { rows: format.rows, columns: format.columns, values: typed(new Uint8Array(output.buffer), format), invert: format.invert };
}

async function decodeRle(bytes: Uint8Array, format: PixelFormat): Promise<GreyFrame> {
  const { default: decode } = await imageLoaderModule<{
    default: (frame: Record<string, unknown>, data: Uint8Array) => Promise<{ pixelData: ArrayLike<number> }>;
  }>('dist/esm/shared/decoders/decodeRLE.js');
  const frame = await decode(
    { rows: format.rows, columns: format.columns, bitsAllocated: format.bitsAllocated, samplesPerPixel: 1, planarConfiguration: 0, pixelRepresentation: format.signed ? 1 : 0 },
    bytes,
  );
  return { rows: format.rows, columns: format.columns, values: frame.pixelData, invert: format.invert };
}

/** Decodes the first frame of a Part 10 file (already inflated when it was deflated). */
export async function decodeFirstFrame(fileBytes: Uint8Array): Promise<FrameResult> {
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(fileBytes);
  } catch (error) {
    return { ok: false, reason: `the file cannot be parsed: ${(error as Error).message ?? String(error)}` };
  }
  const transferSyntax = (dataSet.string('x00020010') ?? '').trim();
  const pixelData = dataSet.elements.x7fe00010;
  const rows = dataSet.uint16('x00280010') ?? 0;
  const columns = dataSet.uint16('x00280011') ?? 0;
  const samples = dataSet.uint16('x00280002') ?? 1;
  const photometric = (dataSet.string('x00280004') ?? '').trim();
  if (!pixelData || rows === 0 || columns === 0) {
    return { ok: false, reason: 'no pixel data' };
  }
  if (samples !== 1 || !photometric.startsWith('MONOCHROME')) {
    return { ok: false, reason: `not a grey-scale image (${photometric || 'no photometric interpretation'})` };
  }
  const format: PixelFormat = {
    rows,
    columns,
    bitsAllocated: dataSet.uint16('x00280100') ?? 16,
    signed: dataSet.uint16('x00280103') === 1,
    invert: photometric === 'MONOCHROME1',
  };
  const frames = Number.parseInt(dataSet.string('x00280008') ?? '1', 10) || 1;
  try {
    if (NATIVE.has(transferSyntax) || (!transferSyntax && !pixelData.encapsulatedPixelData)) {
      const frameBytes = Math.ceil((rows * columns * format.bitsAllocated) / 8);
      if (format.bitsAllocated !== 8 && format.bitsAllocated !== 16) {
        return { ok: false, reason: `native pixel data of ${format.bitsAllocated} bits allocated is not analysed` };
      }
      if (pixelData.length < frameBytes) {
        return { ok: false, reason: 'the pixel data is shorter than one frame' };
      }
      const bytes = fileBytes.subarray(pixelData.dataOffset, pixelData.dataOffset + frameBytes);
      return { ok: true, frame: { rows, columns, values: typed(bytes, format), invert: format.invert } };
    }
    if (!pixelData.encapsulatedPixelData) {
      return { ok: false, reason: `transfer syntax ${transferSyntax} is not decoded under Node` };
    }
    const bytes = firstFrameBytes(dataSet, pixelData, frames);
    if (JPEG_2000.has(transferSyntax)) {
      return { ok: true, frame: await decodeJpeg2000(bytes, format) };
    }
    if (JPEG_DCT.has(transferSyntax)) {
      return { ok: true, frame: await decodeJpegDct(bytes, format) };
    }
    if (JPEG_LS.has(transferSyntax)) {
      return { ok: true, frame: await decodeJpegLs(bytes, format) };
    }
    if (JPEG_LOSSLESS.has(transferSyntax)) {
      return { ok: true, frame: decodeJpegLossless(bytes, format) };
    }
    if (transferSyntax === RLE) {
      return { ok: true, frame: await decodeRle(bytes, format) };
    }
    return { ok: false, reason: `no decoder under Node for transfer syntax ${transferSyntax}` };
  } catch (error) {
    return { ok: false, reason: `decoding failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
