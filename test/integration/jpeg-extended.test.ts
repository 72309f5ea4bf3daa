import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import dicomParser from 'dicom-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { corpus, haveCorpus, haveTool, havePydicomFiles, pydicomTestFiles, repoRoot } from '../support/environment.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';

afterAll(cleanupTempDirs);

interface JpegDecoder {
  parse(data: Uint8Array): void;
  colorTransform: boolean;
  getData16(width: number, height: number): Uint16Array;
}

/** The 12-bit JPEG decoder cornerstone's image loader uses in the viewer (with Concord's patch). */
async function loadDecoder(): Promise<new () => JpegDecoder> {
  const file = join(repoRoot, 'node_modules/@cornerstonejs/dicom-image-loader/dist/esm/codecs/jpeg.js');
  return ((await import(pathToFileURL(file).href)) as { default: new () => JpegDecoder }).default;
}

function compare(file: string, Decoder: new () => JpegDecoder): { maxAbs: number; meanAbs: number; pixels: number } {
  const dataSet = dicomParser.parseDicom(readFileSync(file));
  const pixelElement = dataSet.elements.x7fe00010;
  if (!pixelElement) {
    throw new Error('no pixel data');
  }
  const frame = dicomParser.readEncapsulatedImageFrame(dataSet, pixelElement, 0, dicomParser.createJPEGBasicOffsetTable(dataSet, pixelElement));
  const rows = dataSet.uint16('x00280010') as number;
  const columns = dataSet.uint16('x00280011') as number;
  const decoder = new Decoder();
  decoder.parse(frame);
  decoder.colorTransform = false;
  const ours = decoder.getData16(columns, rows);

  const reference = join(tempDir(), 'reference.dcm');
  execFileSync('dcmdjpeg', [file, reference], { stdio: 'ignore' });
  const decoded = dicomParser.parseDicom(readFileSync(reference));
  const element = decoded.elements.x7fe00010 as dicomParser.Element;
  const expected = new Uint16Array(decoded.byteArray.buffer, decoded.byteArray.byteOffset + element.dataOffset, element.length / 2);
  expect(ours.length).toBe(expected.length);
  let maxAbs = 0;
  let sumAbs = 0;
  for (let i = 0; i < expected.length; i += 1) {
    const d = Math.abs((ours[i] as number) - (expected[i] as number));
    maxAbs = Math.max(maxAbs, d);
    sumAbs += d;
  }
  return { maxAbs, meanAbs: sumAbs / expected.length, pixels: expected.length };
}

const dcmtk = haveTool('dcmdjpeg', 'dcmtk');

// Lossy JPEG decoders need not agree bit for bit: two correct inverse DCTs may round differently.
// Stated tolerance: no sample more than 1 away from dcmtk, and on average under 0.2.
describe.skipIf(!dcmtk)('12-bit JPEG Extended (1.2.840.10008.1.2.4.51) decodes as dcmtk does', () => {
  const cases: [string, () => boolean, () => string][] = [
    ["pydicom's JPGExtended.dcm", havePydicomFiles, () => join(pydicomTestFiles, 'JPGExtended.dcm')],
    ['the WG04 MR in 08-transfer-syntaxes', haveCorpus, () => corpus('08-transfer-syntaxes', 'WG04_MR1_JPLY.dcm')],
    ['the 4664x3064 digitised mammogram', haveCorpus, () => corpus('01-mg-wg04-ddsm-film-lmlo', 'MG1_JPLY.dcm')],
  ];
  for (const [name, available, path] of cases) {
    it.skipIf(!available())(name, async () => {
      const result = compare(path(), await loadDecoder());
      expect(result.pixels).toBeGreaterThan(0);
      expect(result.maxAbs).toBeLessThanOrEqual(1);
      expect(result.meanAbs).toBeLessThan(0.2);
    });
  }
});
