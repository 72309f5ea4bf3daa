import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';

/**
 * Stored pixel values as the reference decoders of Debian (dcmtk, gdcm) decode them, for comparing
 * with what the viewer decoded.
 */
export interface ReferencePixels {
  transferSyntaxUid: string;
  rows: number;
  columns: number;
  samplesPerPixel: number;
  values: ArrayLike<number>;
  rescaleSlope: number;
  rescaleIntercept: number;
}

const DECOMPRESS: [RegExp, (source: string, target: string) => void][] = [
  [/^1\.2\.840\.10008\.1\.2\.4\.(50|51|57|70)$/, (s, t) => execFileSync('dcmdjpeg', [s, t], { stdio: 'ignore' })],
  [/^1\.2\.840\.10008\.1\.2\.4\.(80|81)$/, (s, t) => execFileSync('dcmdjpls', [s, t], { stdio: 'ignore' })],
  [/^1\.2\.840\.10008\.1\.2\.5$/, (s, t) => execFileSync('dcmdrle', [s, t], { stdio: 'ignore' })],
  [/^1\.2\.840\.10008\.1\.2\.4\.(90|91)$/, (s, t) => execFileSync('gdcmconv', ['--raw', s, t], { stdio: 'ignore' })],
  [/^1\.2\.840\.10008\.1\.2\.1\.99$/, (s, t) => execFileSync('dcmconv', ['+te', s, t], { stdio: 'ignore' })],
];

export function referencePixels(file: string, workDir: string): ReferencePixels {
  const original = dicomParser.parseDicom(readFileSync(file), { untilTag: 'x7fe00010' });
  const transferSyntaxUid = (original.string('x00020010') ?? '').trim();
  let decodedFile = file;
  const decoder = DECOMPRESS.find(([pattern]) => pattern.test(transferSyntaxUid));
  if (decoder) {
    decodedFile = join(workDir, `reference-${Math.random().toString(36).slice(2)}.dcm`);
    decoder[1](file, decodedFile);
  }
  const decoded = dicomParser.parseDicom(readFileSync(decodedFile));
  const element = decoded.elements.x7fe00010;
  if (!element) {
    throw new Error(`no pixel data in ${file}`);
  }
  const bitsAllocated = decoded.uint16('x00280100') ?? 16;
  const signed = decoded.uint16('x00280103') === 1;
  const bytes = decoded.byteArray;
  const offset = bytes.byteOffset + element.dataOffset;
  const buffer = bytes.buffer.slice(offset, offset + element.length);
  const values =
    bitsAllocated === 8 ? new Uint8Array(buffer) : signed ? new Int16Array(buffer) : new Uint16Array(buffer);
  return {
    transferSyntaxUid,
    rows: decoded.uint16('x00280010') ?? 0,
    columns: decoded.uint16('x00280011') ?? 0,
    samplesPerPixel: decoded.uint16('x00280002') ?? 1,
    values,
    rescaleSlope: decoded.floatString('x00281053') ?? 1,
    rescaleIntercept: decoded.floatString('x00281052') ?? 0,
  };
}

/** An 8-bit greyscale rendering by dcmtk's dcmj2pnm (dcm2pnm with the JPEG decoders) with an explicit window (center, width). */
export function dcmtkRendering(file: string, center: number, width: number, workDir: string): { columns: number; rows: number; values: Uint8Array } {
  const target = join(workDir, `render-${Math.random().toString(36).slice(2)}.pgm`);
  execFileSync('dcmj2pnm', ['+Ww', String(center), String(width), file, target], { stdio: 'ignore' });
  const pgm = readFileSync(target);
  // Binary PGM: "P5", width, height, maxval, one whitespace byte, then the samples.
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.toString('latin1', 0, 64));
  if (!header) {
    throw new Error('dcmj2pnm did not write a binary PGM');
  }
  const columns = Number(header[1]);
  const rows = Number(header[2]);
  return { columns, rows, values: new Uint8Array(pgm.subarray(header[0].length, header[0].length + columns * rows)) };
}
