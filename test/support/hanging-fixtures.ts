// Synthetic studies for the hanging-protocol tests: Part-10 files written with dcmjs, shaped like real
// vendor output (mammography screening series with priors, the header gaps outside CDs show, a breast MRI
// pair with real geometry, and big JPEG 2000 images for the benchmark). Deterministic: the same seed
// writes byte-identical files; every UID is derived from the seed (2.25.<hash>). The manifest that
// generateHangingFixtures returns (and writes as manifest.json) names every file and what it shows, so
// tests select their expected images through it. Runs under plain Node (type stripping) and Vitest:
//   node test/support/hanging-fixtures.ts --out DIR [--set screening|variants|mri|large]... [--seed TEXT]
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SEED, DEFAULT_SETS, FIXTURE_SETS, JPEG_2000_LOSSLESS, SCREENING_PATIENT } from './hanging-manifest.ts';
import type { FixtureFile, FixtureSet, FixtureStudy, HangingManifest, Laterality, MammoView, PatientIdentity } from './hanging-manifest.ts';
import { mirroredOrientation, targetOrientation, writeMammoStudy } from './hanging-mammography.ts';
import type { MammoImagePlan, MammoStudyPlan } from './hanging-mammography.ts';
import { mrSet } from './hanging-mri.ts';
import { writeProjectionSet, writeTomosynthesis } from './hanging-tomosynthesis.ts';

export * from './hanging-manifest.ts';

const VARIANT_PATIENT: PatientIdentity = { name: 'Okafor^Adaeze', birthDate: '19710908', sex: 'F' };

function screeningStudies(): MammoStudyPlan[] {
  const base = { set: 'screening' as const, patient: SCREENING_PATIENT };
  return [
    { ...base, key: 'current', patientId: 'NBC-448812', facility: 'Northside Breast Center', studyDate: '20261014', studyTime: '091512', manufacturer: 'HOLOGIC, Inc.', model: 'Selenia Dimensions', detectorSpacingMm: 0.085, magnification: 1.07, accession: 'NBC26101401', purpose: 'current screening' },
    { ...base, key: 'prior-1y', patientId: 'LV0091734', facility: 'Lakeview Imaging', studyDate: '20250930', studyTime: '143002', manufacturer: 'GE MEDICAL SYSTEMS', model: 'Senographe Pristina', detectorSpacingMm: 0.1, magnification: 1.08, accession: 'LV250930017', purpose: 'prior about one year before the current' },
    { ...base, key: 'prior-2y', patientId: 'LV0091734', facility: 'Lakeview Imaging', studyDate: '20241008', studyTime: '101744', manufacturer: 'GE MEDICAL SYSTEMS', model: 'Senographe Pristina', detectorSpacingMm: 0.1, magnification: 1.08, accession: 'LV241008004', purpose: 'prior about two years before the current' },
  ];
}

/** The four standard views, one series per image (as Hologic writes them), at the given times. */
function fourViews(times: [string, string, string, string], overrides: Partial<Record<string, Partial<MammoImagePlan>>> = {}): MammoImagePlan[] {
  const order: [Laterality, MammoView][] = [['R', 'CC'], ['L', 'CC'], ['R', 'MLO'], ['L', 'MLO']];
  return order.map(([laterality, view], i) => ({
    laterality,
    view,
    acquisitionTime: times[i]!,
    series: `${laterality}${view}`,
    seriesNumber: 71100 + i + 1,
    seriesDescription: `${laterality} ${view}`,
    ...overrides[`${laterality}${view}`],
  }));
}

interface ScreeningOptions {
  size?: { rows: number; columns: number };
  setName?: FixtureSet;
  /** Which of current / prior-1y / prior-2y to write (all by default). */
  studies?: string[];
}

function screeningSet(out: string, seed: string, options: ScreeningOptions = {}): { studies: FixtureStudy[]; files: FixtureFile[] } {
  const setName = options.setName ?? 'screening';
  const images: Record<string, MammoImagePlan[]> = {
    current: fourViews(['091830', '092015', '092244', '092431']),
    // Lakeview's unit stores the right CC rotated (A\R: rows and columns reversed) and the left MLO mirrored (P\F).
    'prior-1y': fourViews(['143120', '143301', '143517', '143702'], {
      RCC: { orientation: mirroredOrientation(targetOrientation('R', 'CC'), true, true) },
      LMLO: { orientation: mirroredOrientation(targetOrientation('L', 'MLO'), true, false) },
    }),
    'prior-2y': fourViews(['101902', '102047', '102230', '102418']),
  };
  const results = screeningStudies()
    .filter((study) => !options.studies || options.studies.includes(study.key))
    .map((study) => writeMammoStudy(out, seed, { ...study, set: setName }, images[study.key] ?? [], options.size));
  return { studies: results.map((r) => r.study), files: results.flatMap((r) => r.files) };
}

/** One variant study of the second woman; `month` (1-12 of 2026) gives each its own date and accession. */
function variantStudy(key: string, purpose: string, month: number): MammoStudyPlan {
  const mm = String(month).padStart(2, '0');
  return {
    key,
    set: 'variants',
    patient: VARIANT_PATIENT,
    patientId: 'RV-20417',
    facility: 'Riverside Community Hospital',
    studyDate: `2026${mm}12`,
    studyTime: '080000',
    manufacturer: 'SIEMENS',
    model: 'Mammomat Revelation',
    detectorSpacingMm: 0.085,
    magnification: 1.06,
    accession: `RV2026${mm}12`,
    purpose,
  };
}

/** The same plan for each of the four standard views. */
function everyView(plan: Partial<MammoImagePlan>): Record<string, Partial<MammoImagePlan>> {
  return { RCC: plan, LCC: plan, RMLO: plan, LMLO: plan };
}

function variantsSet(out: string, seed: string): { studies: FixtureStudy[]; files: FixtureFile[] } {
  const results: { study: FixtureStudy; files: FixtureFile[] }[] = [];
  const add = (study: MammoStudyPlan, images: MammoImagePlan[]): void => {
    results.push(writeMammoStudy(out, seed, study, images));
  };
  const times: [string, string, string, string] = ['080210', '080342', '080519', '080655'];
  add(variantStudy('no-image-laterality', 'Image Laterality absent; only series Laterality says the side', 1),
    fourViews(times, everyView({ imageLaterality: false, seriesLaterality: true, headerGaps: ['no-image-laterality'] })));
  add(variantStudy('legacy-srt-codes', 'View Code Sequence with the legacy SNOMED-RT codes (SRT R-10242 / R-10226) only', 2),
    fourViews(times, everyView({ codes: 'SRT', headerGaps: ['legacy-srt-codes'] })));
  add(variantStudy('no-patient-orientation', 'no Patient Orientation: the chest-wall side is only in the pixels', 3),
    fourViews(times, everyView({ orientation: null, headerGaps: ['no-patient-orientation'] })));
  add(variantStudy('text-only-views', 'no View Code Sequence and no View Position: the view is only in the series description ("R CC")', 4),
    fourViews(times, everyView({ codes: 'none', viewPosition: false, headerGaps: ['no-view-code-sequence', 'no-view-position'] })));
  add(variantStudy('one-series', 'all four views in one series (most units put each in its own)', 5),
    fourViews(times, everyView({ series: 'all', seriesNumber: 1, seriesDescription: 'Screening Mammo', headerGaps: ['all-views-one-series'] })));
  add(variantStudy('for-processing', 'For Processing images of the same four views beside the For Presentation ones', 6), [
    ...fourViews(times),
    ...fourViews(times, Object.fromEntries(['RCC', 'LCC', 'RMLO', 'LMLO'].map((k, i) => [k, { forProcessing: true, series: `${k}-raw`, seriesNumber: 72100 + i + 1, seriesDescription: `${k[0]} ${k.slice(1)} RAW`, headerGaps: ['for-processing'] }]))),
  ]);
  add(variantStudy('additional-views', 'breast implants: the four views plus spot compression, magnification, implant-displaced, XCCL and a repeat', 7), [
    ...fourViews(times, everyView({ implant: true })),
    { laterality: 'L', view: 'CC', modifiers: ['spot'], acquisitionTime: '081502', series: 'LCC-spot', seriesNumber: 71201, seriesDescription: 'L CC SPOT', implant: true, headerGaps: ['additional-view'] },
    { laterality: 'L', view: 'CC', modifiers: ['magnification'], acquisitionTime: '081733', series: 'LCC-mag', seriesNumber: 71202, seriesDescription: 'L CC MAG', implant: true, headerGaps: ['additional-view'] },
    { laterality: 'R', view: 'CC', modifiers: ['implant-displaced'], acquisitionTime: '081911', series: 'RCC-id', seriesNumber: 71203, seriesDescription: 'R CC ID', implant: true, headerGaps: ['additional-view'] },
    { laterality: 'R', view: 'XCCL', acquisitionTime: '082104', series: 'RXCCL', seriesNumber: 71204, seriesDescription: 'R XCCL', implant: true, headerGaps: ['additional-view'] },
    // The technologist repeated the right MLO: same view, later acquisition time, its own series.
    { laterality: 'R', view: 'MLO', acquisitionTime: '082355', series: 'RMLO-repeat', seriesNumber: 71205, seriesDescription: 'R MLO', implant: true, headerGaps: ['repeat'] },
  ]);
  const mammo = { studies: results.map((r) => r.study), files: results.flatMap((r) => r.files) };
  const projections = multiFrameStudy(out, seed);
  return { studies: [...mammo.studies, projections.study], files: [...mammo.files, ...projections.files] };
}

/** The variants' MG study with multi-frame objects beside the four views. */
function multiFrameStudy(out: string, seed: string): { study: FixtureStudy; files: FixtureFile[] } {
  const study = variantStudy('tomosynthesis', 'MG study with the four views, a Breast Tomosynthesis object (R CC) and the vendor\'s projection set as multi-frame Secondary Capture', 8);
  const { study: record, files } = writeMammoStudy(out, seed, study, fourViews(['080210', '080342', '080519', '080655']));
  const template = files[0] as FixtureFile;
  return { study: record, files: [...files, writeProjectionSet(out, seed, study, template), writeTomosynthesis(out, seed, study, template)] };
}

const LARGE_SIZE = { rows: 4096, columns: 3328 };

/** The current and one-year prior screening images at full detector size, recompressed to JPEG 2000 by gdcmconv. */
function largeSet(out: string, seed: string): { studies: FixtureStudy[]; files: FixtureFile[] } {
  const { studies, files } = screeningSet(out, seed, { size: LARGE_SIZE, setName: 'large', studies: ['current', 'prior-1y'] });
  for (const file of files) {
    const path = join(out, file.path);
    execFileSync('gdcmconv', ['--j2k', path, `${path}.j2k`], { stdio: 'ignore' });
    renameSync(`${path}.j2k`, path);
  }
  return { studies, files: files.map((file) => ({ ...file, transferSyntaxUid: JPEG_2000_LOSSLESS })) };
}

export interface GenerateOptions {
  out: string;
  sets?: FixtureSet[];
  seed?: string;
}

/** Writes the named sets under `out` and returns (and writes as out/manifest.json) what was written. */
export function generateHangingFixtures(options: GenerateOptions): HangingManifest {
  const seed = options.seed ?? DEFAULT_SEED;
  const sets = options.sets ?? DEFAULT_SETS;
  const builders: Record<FixtureSet, (out: string, seed: string) => { studies: FixtureStudy[]; files: FixtureFile[] }> = {
    screening: screeningSet,
    variants: variantsSet,
    mri: mrSet,
    large: largeSet,
  };
  const manifest: HangingManifest = { seed, sets, studies: [], files: [] };
  for (const set of FIXTURE_SETS.filter((s) => sets.includes(s))) {
    const { studies, files } = builders[set](options.out, seed);
    manifest.studies.push(...studies);
    manifest.files.push(...files);
  }
  writeFileSync(join(options.out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function parseArguments(argv: string[]): GenerateOptions {
  let out: string | null = null;
  let seed: string | undefined;
  const sets: FixtureSet[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const argument = argv[i];
    const value = argv[i + 1];
    if (argument === '--out' && value) {
      out = resolve(value);
      i += 1;
    } else if (argument === '--set' && value && (FIXTURE_SETS as readonly string[]).includes(value)) {
      sets.push(value as FixtureSet);
      i += 1;
    } else if (argument === '--seed' && value) {
      seed = value;
      i += 1;
    } else {
      throw new Error(`usage: hanging-fixtures --out DIR [--set ${FIXTURE_SETS.join('|')}]... [--seed TEXT] (unexpected ${[argument, value].filter(Boolean).join(' ')})`);
    }
  }
  if (!out) {
    throw new Error('hanging-fixtures: --out DIR is required');
  }
  return { out, sets: sets.length > 0 ? sets : DEFAULT_SETS, ...(seed ? { seed } : {}) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let options: GenerateOptions;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  mkdirSync(options.out, { recursive: true });
  const manifest = generateHangingFixtures(options);
  process.stdout.write(`${manifest.files.length} files in ${manifest.studies.length} studies written to ${options.out}\n`);
}
