import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import dicomParser from 'dicom-parser';
import type { DataSet } from 'dicom-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inferChestWallSide } from '../../shared/hanging/chest-wall.ts';
import type { ImportSummary } from '../../shared/import/outcomes.ts';
import { concordJson } from '../support/cli.ts';
import { haveTool, repoRoot } from '../support/environment.ts';
import { generateHangingFixtures } from '../support/hanging-fixtures.ts';
import type { FixtureFile, HangingManifest } from '../support/hanging-fixtures.ts';
import { cleanupTempDirs, count, openIndex, tempDir } from '../support/library.ts';

const run = promisify(execFile);
afterAll(cleanupTempDirs);

// Each tool is required: haveTool fails the run under CI when one is missing.
const toolsPresent = [haveTool('dciodvfy', 'dicom3tools'), haveTool('dcmdump', 'dcmtk')].every(Boolean);

/** The dciodvfy errors a deliberate header gap must cause (and the only errors any file may have). */
const ERRORS_OF_GAP: Record<string, RegExp[]> = {
  'no-image-laterality': [/Missing attribute Type 1 Required Element=<ImageLaterality> Module=<MammographyImage>/, /Missing attribute Type 1 Required Element=<ImageLaterality> Module=<DXAnatomyImaged>/],
  'no-patient-orientation': [/Missing attribute Type 2C Conditional Element=<PatientOrientation> Module=<GeneralImage>/, /Missing attribute Type 1C Conditional Element=<PatientOrientation> Module=<DXImage>/],
  'no-view-code-sequence': [/Missing attribute Type 1 Required Element=<ViewCodeSequence> Module=<MammographyImage>/],
};

/** dciodvfy warnings accepted, each for a reason; any other warning fails. */
const ACCEPTED_WARNINGS: { pattern: RegExp; applies: (file: FixtureFile) => boolean }[] = [
  // Mammography units write CC / MLO / XCCL in View Position (IHE Mammography Image profile); dciodvfy
  // knows only the general radiography defined terms of PS3.3 C.8.11.5.
  { pattern: /Unrecognized defined term <(CC|MLO|XCCL)> for value 1 of attribute <View Position>/, applies: (f) => f.modality === 'MG' },
  // Siemens MR writes ORIGINAL\PRIMARY\M\ND (M = magnitude), not a PS3.3 defined term for value 3.
  { pattern: /Unrecognized defined term <M> for value 3 of attribute <Image Type>/, applies: (f) => f.modality === 'MR' },
  // The legacy SNOMED-RT codes are the point of that variant; the implant-displaced modifier uses the
  // SRT code because no SNOMED CT equivalent could be verified.
  { pattern: /CodingSchemeDesignator is deprecated - attribute <CodingSchemeDesignator> = <SRT>/, applies: (f) => f.headerGaps.includes('legacy-srt-codes') || f.modifiers.includes('implant-displaced') },
];

const VIEW_OF_CODE: Record<string, string> = { '399162004': 'CC', 'R-10242': 'CC', '399368009': 'MLO', 'R-10226': 'MLO', '399192008': 'XCCL', 'R-1024A': 'XCCL' };
const MODIFIER_OF_CODE: Record<string, string> = { '399055006': 'spot', '399163009': 'magnification', 'R-102D5': 'implant-displaced' };

async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  }));
}

/** dciodvfy's findings that are neither the errors a file's gaps must cause nor accepted warnings, plus missing expected errors. */
async function validatorFindings(root: string, files: FixtureFile[]): Promise<string[]> {
  const unexpected: string[] = [];
  await eachLimited(files, 2, async (file) => {
    // dciodvfy exits non-zero on errors; its findings are on standard error either way.
    const result = await run('dciodvfy', [join(root, file.path)]).catch((error: { stdout: string; stderr: string }) => error);
    const lines = `${result.stdout}${result.stderr}`.split('\n').filter((l) => /^(Error|Warning) - /.test(l) || / - (Error|Warning) - /.test(l));
    const expected = file.headerGaps.flatMap((gap) => ERRORS_OF_GAP[gap] ?? []);
    for (const line of lines) {
      const accepted = line.includes('Error')
        ? expected.some((pattern) => pattern.test(line))
        : ACCEPTED_WARNINGS.some((w) => w.pattern.test(line) && w.applies(file));
      if (!accepted) {
        unexpected.push(`${file.path}: ${line}`);
      }
    }
    for (const pattern of expected) {
      if (!lines.some((line) => pattern.test(line))) {
        unexpected.push(`${file.path}: expected ${String(pattern)}`);
      }
    }
  });
  return unexpected;
}

function parse(root: string, file: FixtureFile): { dataSet: DataSet; bytes: Buffer } {
  const bytes = readFileSync(join(root, file.path));
  return { dataSet: dicomParser.parseDicom(bytes), bytes };
}

function pixelsOf(dataSet: DataSet, bytes: Buffer): Uint16Array {
  const element = dataSet.elements['x7fe00010'];
  if (!element) {
    throw new Error('no Pixel Data');
  }
  const copy = new Uint8Array(bytes.subarray(element.dataOffset, element.dataOffset + element.length));
  return new Uint16Array(copy.buffer);
}

/** Share of a column band's pixels (rows from..to as fractions) brighter than air. */
function tissueShare(pixels: Uint16Array, rows: number, columns: number, band: [number, number], rowRange: [number, number]): number {
  let tissue = 0;
  let total = 0;
  for (let row = Math.floor(rowRange[0] * rows); row < Math.floor(rowRange[1] * rows); row += 1) {
    for (let column = band[0]; column < band[1]; column += 1) {
      tissue += (pixels[row * columns + column] ?? 0) > 400 ? 1 : 0;
      total += 1;
    }
  }
  return tissue / total;
}

describe.skipIf(!toolsPresent)('synthetic hanging-protocol studies', () => {
  let root = '';
  let manifest: HangingManifest;

  beforeAll(() => {
    root = tempDir('concord-hanging-');
    manifest = generateHangingFixtures({ out: root });
  });

  it('writes the three default sets with the studies and files the tests select from', () => {
    expect(manifest.sets).toEqual(['screening', 'variants', 'mri']);
    const screening = manifest.files.filter((f) => f.set === 'screening');
    expect(screening).toHaveLength(12);
    expect(new Set(screening.map((f) => `${f.study} ${f.laterality}${f.view}`)).size).toBe(12);
    expect(manifest.studies.filter((s) => s.set === 'screening').map((s) => [s.key, s.patientId, s.facility, s.studyDate])).toEqual([
      ['current', 'NBC-448812', 'Northside Breast Center', '20261014'],
      ['prior-1y', 'LV0091734', 'Lakeview Imaging', '20250930'],
      ['prior-2y', 'LV0091734', 'Lakeview Imaging', '20241008'],
    ]);
    // Same-size scaling matters: the current and the priors come from detectors of different pixel size.
    expect(new Set(screening.map((f) => f.imagerPixelSpacingMm))).toEqual(new Set([0.085, 0.1]));
    // At least one image is stored mirrored against its target orientation, so a flip is needed.
    expect(screening.some((f) => f.patientOrientation === 'A\\R' && f.laterality === 'R')).toBe(true);
    const uids = manifest.files.map((f) => f.sopInstanceUid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const uid of uids) {
      expect(uid).toMatch(/^2\.25\.[1-9]\d{0,38}$/);
    }
    const mr = manifest.files.filter((f) => f.set === 'mri');
    expect(new Set(mr.map((f) => f.mr?.role))).toEqual(new Set(['t2', 't1-pre', 'dce', 'subtraction', 'mip']));
    expect(manifest.files.filter((f) => f.set === 'variants').map((f) => f.kind)).toEqual(expect.arrayContaining(['tomosynthesis', 'projection-set']));
  });

  it('writes byte-identical files when generated again from the same seed', () => {
    const again = tempDir('concord-hanging-again-');
    const second = generateHangingFixtures({ out: again });
    expect(second).toEqual(manifest);
    expect(readFileSync(join(again, 'manifest.json'))).toEqual(readFileSync(join(root, 'manifest.json')));
    for (const file of manifest.files) {
      expect(createHash('sha256').update(readFileSync(join(again, file.path))).digest('hex'), file.path)
        .toBe(createHash('sha256').update(readFileSync(join(root, file.path))).digest('hex'));
    }
    const otherSeed = generateHangingFixtures({ out: tempDir('concord-hanging-seed-'), sets: ['screening'], seed: 'another' });
    expect(otherSeed.files[0]?.sopInstanceUid).not.toBe(manifest.files[0]?.sopInstanceUid);
  });

  it('passes dciodvfy: no errors but those of the deliberate gaps, no warnings but the accepted ones', async () => {
    expect(await validatorFindings(root, manifest.files)).toEqual([]);
  });

  it('is read by dcmdump, every file', () => {
    const paths = manifest.files.map((f) => join(root, f.path));
    for (let i = 0; i < paths.length; i += 100) {
      // dcmdump exits non-zero if any file of the batch cannot be read.
      execFileSync('dcmdump', ['-q', ...paths.slice(i, i + 100)], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
    }
  });

  it('agrees with the headers it describes', () => {
    for (const file of manifest.files) {
      const { dataSet } = parse(root, file);
      const text = (tag: string): string => (dataSet.string(tag) ?? '').trim();
      const header = {
        patientId: text('x00100020'),
        facility: text('x00080080'),
        studyDate: text('x00080020'),
        studyInstanceUid: text('x0020000d'),
        seriesInstanceUid: text('x0020000e'),
        sopInstanceUid: text('x00080018'),
        sopClassUid: text('x00080016'),
        transferSyntaxUid: text('x00020010'),
        modality: text('x00080060'),
        seriesNumber: Number(text('x00200011')),
        seriesDescription: text('x0008103e'),
        instanceNumber: Number(text('x00200013')),
        rows: dataSet.uint16('x00280010'),
        columns: dataSet.uint16('x00280011'),
        frames: Number(text('x00280008') || '1'),
      };
      expect(header, file.path).toEqual({
        patientId: file.patientId, facility: file.facility, studyDate: file.studyDate, studyInstanceUid: file.studyInstanceUid,
        seriesInstanceUid: file.seriesInstanceUid, sopInstanceUid: file.sopInstanceUid, sopClassUid: file.sopClassUid,
        transferSyntaxUid: file.transferSyntaxUid, modality: file.modality, seriesNumber: file.seriesNumber,
        seriesDescription: file.seriesDescription, instanceNumber: file.instanceNumber, rows: file.rows, columns: file.columns, frames: file.frames,
      });
      const orientation = dataSet.elements['x00200020'] ? (dataSet.string('x00200020') ?? '') : null;
      if (file.modality === 'MG') {
        expect(orientation, file.path).toBe(file.patientOrientation);
        const shared = dataSet.elements['x52009229']?.items?.[0]?.dataSet;
        const frameLaterality = shared?.elements['x00209071']?.items?.[0]?.dataSet?.string('x00209072') ?? '';
        const laterality = text('x00200062') || frameLaterality || text('x00200060');
        expect(laterality, file.path).toBe(file.laterality);
      }
      if (file.kind === 'mammogram') {
        expect(Boolean(text('x00200062')), file.path).toBe(!file.headerGaps.includes('no-image-laterality'));
        expect(text('x00080068'), file.path).toBe(file.presentationIntent);
        expect(Number(text('x00181164').split('\\')[0]), file.path).toBe(file.imagerPixelSpacingMm);
        expect(Number(text('x00181114')), file.path).toBe(file.magnificationFactor);
        const viewItem = dataSet.elements['x00540220']?.items?.[0]?.dataSet;
        if (file.headerGaps.includes('no-view-code-sequence')) {
          expect(viewItem, file.path).toBeUndefined();
          expect(dataSet.elements['x00185101'], file.path).toBeUndefined();
          expect(file.seriesDescription).toBe(`${file.laterality} ${file.view}`);
        } else {
          expect(VIEW_OF_CODE[viewItem?.string('x00080100') ?? ''], file.path).toBe(file.view);
          expect(text('x00185101'), file.path).toBe(file.view);
          const modifierItems = viewItem?.elements['x00540222']?.items ?? [];
          expect(viewItem?.elements['x00540222'], `${file.path}: the modifier sequence is written even when empty`).toBeDefined();
          expect(modifierItems.map((item) => MODIFIER_OF_CODE[item.dataSet?.string('x00080100') ?? '']), file.path).toEqual(file.modifiers);
        }
      }
      if (file.kind === 'tomosynthesis') {
        const shared = dataSet.elements['x52009229']?.items?.[0]?.dataSet;
        const orientation = shared?.elements['x00209116']?.items?.[0]?.dataSet?.string('x00200037');
        // Rows run posterior, columns to the patient's left: the P\\L a right CC hangs in.
        expect(orientation, file.path).toBe('0\\1\\0\\1\\0\\0');
        expect(file.targetOrientation).toBe('P\\L');
        expect(dataSet.elements['x52009230']?.items, file.path).toHaveLength(file.frames);
      }
      if (file.mr) {
        expect(text('x00200052'), file.path).toBe(file.mr.frameOfReferenceUid);
        expect(text('x00200037'), file.path).toBe('1\\0\\0\\0\\1\\0');
        if (file.mr.slicePosition !== null) {
          expect(Number(text('x00200032').split('\\')[2]), file.path).toBe(file.mr.slicePosition);
        }
        const imageType = text('x00080008').split('\\');
        expect(imageType.includes('SUB'), file.path).toBe(file.mr.role === 'subtraction' || file.mr.role === 'mip');
        expect(imageType.includes('MIP'), file.path).toBe(file.mr.role === 'mip');
        if (file.mr.role === 'dce') {
          expect(Number(text('x00200100')), file.path).toBe((file.mr.phase ?? 0) + 1);
          expect(text('x00180010') === '', file.path).toBe(file.mr.phase === 0);
        }
      }
    }
  });

  it('puts tissue against the chest-wall edge, air at the opposite edge, and the masses where the manifest says', () => {
    const hashes = new Map<string, string>();
    for (const file of manifest.files.filter((f) => f.kind !== 'mr')) {
      const { dataSet, bytes } = parse(root, file);
      const all = pixelsOf(dataSet, bytes);
      const pixels = all.subarray(0, file.rows * file.columns);
      const band = Math.round(file.columns * 0.04);
      const chestWall: [number, number] = file.chestWallSide === 'left' ? [0, band] : [file.columns - band, file.columns];
      const opposite: [number, number] = file.chestWallSide === 'left' ? [file.columns - band, file.columns] : [0, band];
      expect(tissueShare(pixels, file.rows, file.columns, chestWall, [0.25, 0.75]), `${file.path} chest wall`).toBeGreaterThan(0.95);
      // Mostly air: the burned-in marker sits in this band's upper corner.
      expect(tissueShare(pixels, file.rows, file.columns, opposite, [0, 1]), `${file.path} opposite edge`).toBeLessThan(0.1);
      for (const mass of file.masses) {
        expect(pixels[mass.row * file.columns + mass.column], `${file.path} mass`).toBeGreaterThan(2700);
      }
      const hash = createHash('sha256').update(pixels).digest('hex');
      expect(hashes.get(hash), `${file.path} has the same pixels as another image`).toBeUndefined();
      hashes.set(hash, file.path);
    }
  });

  it('lets the engine\'s pixel analysis find the chest-wall side of every projection image', () => {
    for (const file of manifest.files.filter((f) => f.kind !== 'mr')) {
      const { dataSet, bytes } = parse(root, file);
      const values = pixelsOf(dataSet, bytes).subarray(0, file.rows * file.columns);
      const hint = inferChestWallSide({ rows: file.rows, columns: file.columns, values, invert: false });
      expect(hint.chestWallSide, file.path).toBe(file.chestWallSide);
    }
  });

  it('shows the MR lesion at the z the manifest gives, in both studies', () => {
    for (const study of manifest.studies.filter((s) => s.lesion)) {
      const lesion = study.lesion as NonNullable<typeof study.lesion>;
      const post1 = manifest.files.filter((f) => f.study === study.key && f.mr?.role === 'dce' && f.mr.phase === 1);
      const brightestAt = (file: FixtureFile): number => {
        const { dataSet, bytes } = parse(root, file);
        const pixels = pixelsOf(dataSet, bytes);
        const [x0, y0] = (dataSet.string('x00200032') ?? '').split('\\').map(Number);
        const [rowSpacing, columnSpacing] = (dataSet.string('x00280030') ?? '').split('\\').map(Number);
        const column = Math.round((lesion.x - (x0 ?? 0)) / (columnSpacing ?? 1));
        const row = Math.round((lesion.y - (y0 ?? 0)) / (rowSpacing ?? 1));
        return pixels[row * file.columns + column] ?? 0;
      };
      const nearest = post1.reduce((best, f) => (Math.abs((f.mr?.slicePosition ?? 0) - lesion.z) < Math.abs((best.mr?.slicePosition ?? 0) - lesion.z) ? f : best));
      const far = post1.filter((f) => Math.abs((f.mr?.slicePosition ?? 0) - lesion.z) > 2 * lesion.radiusMm);
      expect(brightestAt(nearest), study.key).toBeGreaterThan(1500);
      expect(far.length).toBeGreaterThan(20);
      for (const file of far) {
        expect(brightestAt(file), file.path).toBeLessThan(1500);
      }
    }
    const [current, prior] = manifest.studies.filter((s) => s.lesion);
    // The same lesion, 12 mm apart in the two Frames of Reference, and a different slice count.
    expect((prior?.lesion?.z ?? 0) - (current?.lesion?.z ?? 0)).toBe(12);
    expect(prior?.frameOfReferenceUid).not.toBe(current?.frameOfReferenceUid);
    const slices = (key: string): number => manifest.files.filter((f) => f.study === key && f.mr?.role === 't2').length;
    expect(slices(current?.key ?? '')).not.toBe(slices(prior?.key ?? ''));
  });

  it('imports the screening set with the command line: 12 images, 3 studies, 2 identities of one woman proposed for linking', () => {
    const library = tempDir();
    const summary = concordJson<ImportSummary>(['import', join(root, 'screening'), '--library', library]);
    expect(summary.counts).toMatchObject({ imported: 12, 'not-dicom': 0, unreadable: 0, conflict: 0 });
    const db = openIndex(library);
    try {
      expect(count(db, 'SELECT count(*) AS n FROM instances')).toBe(12);
      expect(count(db, 'SELECT count(*) AS n FROM series')).toBe(12);
      expect(count(db, 'SELECT count(*) AS n FROM studies')).toBe(3);
      expect(count(db, 'SELECT count(*) AS n FROM patients')).toBe(2);
      expect(count(db, "SELECT count(*) AS n FROM link_proposals WHERE status = 'open'")).toBe(1);
    } finally {
      db.close();
    }
  });
});

describe.skipIf(!toolsPresent || !haveTool('gdcmconv', 'libgdcm-tools'))('the large benchmark set, made from the command line', () => {
  it('writes the current and prior screening views at full detector size as valid JPEG 2000 files', async () => {
    const out = tempDir('concord-hanging-large-');
    execFileSync(process.execPath, [join(repoRoot, 'test', 'support', 'hanging-fixtures.ts'), '--out', out, '--set', 'large'], { stdio: 'ignore' });
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as HangingManifest;
    expect(manifest.sets).toEqual(['large']);
    expect(manifest.files.map((f) => `${f.study} ${f.laterality}${f.view}`).sort()).toEqual([
      'current LCC', 'current LMLO', 'current RCC', 'current RMLO', 'prior-1y LCC', 'prior-1y LMLO', 'prior-1y RCC', 'prior-1y RMLO',
    ]);
    for (const file of manifest.files) {
      const { dataSet } = parse(out, file);
      expect(dataSet.string('x00020010'), file.path).toBe('1.2.840.10008.1.2.4.90');
      expect(file.transferSyntaxUid).toBe('1.2.840.10008.1.2.4.90');
      expect(dataSet.uint16('x00280010')).toBeGreaterThanOrEqual(4000);
      expect(dataSet.uint16('x00280011')).toBeGreaterThanOrEqual(3000);
      expect(dataSet.string('x00080018')).toBe(file.sopInstanceUid);
    }
    expect(await validatorFindings(out, manifest.files)).toEqual([]);
    execFileSync('dcmdump', ['-q', ...manifest.files.map((f) => join(out, f.path))], { stdio: 'ignore' });
  });
});
