import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeFirstFrame } from '../../electron/services/hanging/frame-decoder.ts';
import type { GreyFrame } from '../../electron/services/hanging/frame-decoder.ts';
import { corpus, haveCorpus, haveTool } from '../support/environment.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';

afterAll(cleanupTempDirs);

async function frameOf(file: string): Promise<GreyFrame> {
  const result = await decodeFirstFrame(readFileSync(file));
  if (!result.ok) {
    throw new Error(`${file}: ${result.reason}`);
  }
  return result.frame;
}

/** A reference decoding of the same file (dcmtk for JPEG-LS, which Debian's GDCM lacks; GDCM otherwise), written uncompressed and read by the native path. */
async function referenceOf(file: string): Promise<GreyFrame> {
  const raw = join(tempDir(), 'raw.dcm');
  if (file.includes('_JLS')) {
    execFileSync('dcmdjpls', [file, raw], { stdio: 'ignore' });
  } else {
    execFileSync('gdcmconv', ['--raw', file, raw], { stdio: 'ignore' });
  }
  return frameOf(raw);
}

describe.skipIf(!haveCorpus() || !haveTool('gdcmconv', 'libgdcm-tools') || !haveTool('dcmdjpls', 'dcmtk'))('first frames decoded under Node for the chest-wall analysis', () => {
  it.each(['WG04_MR1_JLSL.dcm', 'WG04_MR1_JPLL.dcm', 'WG04_MR1_RLE.dcm'])('decodes %s (lossless) exactly as the reference decoder does', async (name) => {
    const file = corpus('08-transfer-syntaxes', name);
    const [ours, reference] = await Promise.all([frameOf(file), referenceOf(file)]);
    expect([ours.rows, ours.columns]).toEqual([reference.rows, reference.columns]);
    expect(Array.from(ours.values)).toEqual(Array.from(reference.values));
  });

  it('decodes a MONOCHROME1 JPEG baseline CR and says it is inverted', async () => {
    const file = corpus('08-transfer-syntaxes', 'orthanc_Issue44_CR_MONOCHROME1_JPEGbaseline.dcm');
    const [ours, reference] = await Promise.all([frameOf(file), referenceOf(file)]);
    expect(ours.invert).toBe(true);
    expect([ours.rows, ours.columns]).toEqual([reference.rows, reference.columns]);
    // Lossy, decoded by two libraries: the same picture within a grey level or two.
    let worst = 0;
    for (let i = 0; i < ours.values.length; i += 97) {
      worst = Math.max(worst, Math.abs(Number(ours.values[i]) - Number(reference.values[i])));
    }
    expect(worst).toBeLessThanOrEqual(2);
  });

  it('decodes JPEG 2000 at a reduced resolution level, about 256 columns or more', async () => {
    const film = await frameOf(corpus('01-mg-wg04-ddsm-film-lmlo', 'MG1_J2KI.dcm'));
    // 3064 columns: three halvings leave 383 (log2(3064 / 256) = 3.6).
    expect([film.rows, film.columns, film.values.length]).toEqual([583, 383, 583 * 383]);
  });
});
