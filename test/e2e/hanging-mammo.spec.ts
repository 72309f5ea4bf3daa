/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import dicomParser from 'dicom-parser';
import { concordJson } from '../support/cli.ts';
import { haveTool } from '../support/environment.ts';
import { generateHangingFixtures } from '../support/hanging-fixtures.ts';
import { writeOrientationCases } from '../support/hanging-orientation-cases.ts';
import type { OrientationCase } from '../support/hanging-orientation-cases.ts';
import type { FixtureFile, HangingManifest } from '../support/hanging-fixtures.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';
import { referencePixels } from '../support/reference-pixels.ts';
import type { ReferencePixels } from '../support/reference-pixels.ts';
import { canvasPoint, canvasSize, checkScreen, readLabel, windowed } from '../support/screen-oracle.ts';
import type { KnownImages, ViewportLabel } from '../support/screen-oracle.ts';
import { startServe } from '../support/serve.ts';
import type { RunningHost } from '../support/serve.ts';
import { pageApi } from '../support/page-api.ts';

/**
 * The mammography hanging view on the synthetic screening set (test/support/hanging-fixtures.ts):
 * the current study (Northside, one patient ID) and two priors (Lakeview, another patient ID; the
 * older one imported without its left CC), linked as one patient through the reconciliation API.
 *
 * What is checked comes from the fixture manifest and the rendered pixels, not from the layout the
 * viewer was given: which image sits in which cell (domain reference b.4: prior row on top, MLO pair
 * first), that each right/left pair stands back to back (tissue at the seam, air at the outer side,
 * on the canvas), that the flipped prior images are drawn as their label says (screen oracle), that one
 * physical mm is the same number of screen pixels in every cell (from the label and from the breast's
 * drawn size), that a missing view leaves its labelled cell, and that the keyboard changes stage.
 */

let host: RunningHost;
let manifest: HangingManifest;
/** Every side and view, stored as hung or mirrored, with Patient Orientation full, abbreviated, absent or contradicting the pixels. */
let orientationCases: OrientationCase[] = [];
let fixtures = '';
const references = new Map<string, { reference: ReferencePixels; spacing: [number, number]; physicalMm: number }>();

/** The overview, cell by cell: prior row on top, MLO pair first (the default preferences). */
const OVERVIEW: [string, 'prior' | 'current', 'R' | 'L', 'CC' | 'MLO'][] = [
  ['vp-0', 'prior', 'R', 'MLO'], ['vp-1', 'prior', 'L', 'MLO'], ['vp-2', 'prior', 'R', 'CC'], ['vp-3', 'prior', 'L', 'CC'],
  ['vp-4', 'current', 'R', 'MLO'], ['vp-5', 'current', 'L', 'MLO'], ['vp-6', 'current', 'R', 'CC'], ['vp-7', 'current', 'L', 'CC'],
];
/** The variant study without Patient Orientation (test/support/hanging-fixtures.ts). */
const UNORIENTED = 'no-patient-orientation';
/** The prior imported without one view: the older one, missing its left CC. */
const MISSING = { study: 'prior-2y', laterality: 'L', view: 'CC' } as const;

test.skip(!haveTool('dcmdump', 'dcmtk') || !haveTool('dcmodify', 'dcmtk'), 'needs dcmtk for the reference pixels and the hostile header');

/**
 * The older prior's Institution Name as a hostile CD might carry it: markup, a bell, more than a cell
 * shows. It must appear as text (no element made of it), without the control character, cut short.
 */
const HOSTILE_FACILITY = '<img src=x onerror="document.title=1">Lakeview\u0007 Annex';
const SHOWN_FACILITY = `${'<img src=x onerror="document.title=1">Lakeview Annex'.slice(0, 39)}…`;

function fileOf(study: string, laterality: string, view: string): FixtureFile {
  const file = manifest.files.find((f) => f.study === study && f.laterality === laterality && f.view === view);
  if (!file) {
    throw new Error(`the manifest has no ${study} ${laterality}${view}`);
  }
  return file;
}

/** Copies the chosen files of the manifest into a folder of their own: one medium to import. */
function medium(files: FixtureFile[], change: (file: FixtureFile, path: string) => void = () => undefined): string {
  const folder = tempDir();
  for (const file of files) {
    const target = join(folder, file.path);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(fixtures, file.path), target);
    change(file, target);
  }
  return folder;
}

test.beforeAll(async () => {
  fixtures = tempDir();
  manifest = generateHangingFixtures({ out: fixtures, sets: ['screening', 'variants'] });
  const mammograms = manifest.files.filter((f) => f.kind === 'mammogram' && f.set === 'screening');
  const missing = fileOf(MISSING.study, MISSING.laterality, MISSING.view);
  const library = tempDir();
  // Two media, as two facilities hand them over: the current study, and the priors under their own patient ID.
  concordJson(['import', medium(mammograms.filter((f) => f.study === 'current')), '--library', library]);
  concordJson([
    'import',
    medium(mammograms.filter((f) => f.study !== 'current' && f !== missing), (file, path) => {
      if (file.study === 'prior-2y') {
        execFileSync('dcmodify', ['-nb', '-m', `(0008,0080)=${HOSTILE_FACILITY}`, path], { stdio: 'ignore' });
      }
    }),
    '--library',
    library,
  ]);
  // Another patient's study from a unit that writes no Patient Orientation: the chest wall is only in the pixels.
  const unoriented = manifest.files.filter((f) => f.study === UNORIENTED);
  expect(unoriented.map((f) => f.patientOrientation)).toEqual([null, null, null, null]);
  concordJson(['import', medium(unoriented), '--library', library]);
  // A repeated view and a vendor's projection set: what the cells and the toolbar say beyond the image hung.
  concordJson(['import', medium(manifest.files.filter((f) => f.study === 'additional-views' || f.study === 'tomosynthesis')), '--library', library]);
  // The orientation cases: eight women, one study each, on one medium.
  orientationCases = writeOrientationCases(fixtures, manifest.seed);
  const caseFiles = orientationCases.flatMap((c) => c.files);
  concordJson(['import', medium(caseFiles), '--library', library]);
  const work = tempDir();
  for (const file of [...mammograms, ...unoriented, ...caseFiles]) {
    const path = join(fixtures, file.path);
    const header = dicomParser.parseDicom(readFileSync(path), { untilTag: 'x7fe00010' });
    const imager = Number((header.string('x00181164') ?? '').split('\\')[0]);
    const magnification = header.floatString('x00181114') ?? 1;
    // The physical size of a pixel at the breast: detector pixel over the magnification (domain reference b.3).
    references.set(file.sopInstanceUid, { reference: referencePixels(path, work), spacing: [1, 1], physicalMm: imager / magnification });
  }
  host = await startServe(library);
});

test.afterAll(async () => {
  await host?.stop();
  cleanupTempDirs();
});

const cell = (page: Page, slot: string): Locator => page.locator(`.hang-grid [data-slot="${slot}"]`);

/** Links the two identities as the reader would: the proposal the library makes, accepted. */
async function linkIdentities(page: Page): Promise<void> {
  const { patients } = await pageApi<{ patients: { identities: unknown[] }[] }>(page, 'listPatients', {});
  if (patients.some((patient) => patient.identities.length === 2)) {
    return;
  }
  const { proposals } = await pageApi<{ proposals: { id: number }[] }>(page, 'listProposals', { propose: true });
  expect(proposals).toHaveLength(1);
  await pageApi(page, 'decideProposal', { proposalId: proposals[0]?.id, decision: 'accept' });
}

interface Extent {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Where the labelled image's corners land on the canvas (canvas pixels). */
function drawnExtent(reference: ReferencePixels, label: ViewportLabel, size: { width: number; height: number; pixelRatio: number }): Extent {
  const corners = ([[0, 0], [reference.columns, 0], [0, reference.rows], [reference.columns, reference.rows]] as [number, number][])
    .map(([column, row]) => canvasPoint(reference, [1, 1], label, size, [column - 0.5, row - 0.5]));
  const xs = corners.map((p) => p[0]);
  const ys = corners.map((p) => p[1]);
  return { left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys) };
}

/** The canvas's red channel, whole. */
async function canvasPixels(viewport: Locator): Promise<{ width: number; height: number; data: number[] }> {
  return viewport.evaluate((element) => {
    const canvas = element.querySelector('canvas');
    const context = canvas?.getContext('2d');
    if (!canvas || !context) {
      throw new Error('no 2D canvas');
    }
    const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
    const data: number[] = [];
    for (let i = 0; i < rgba.length; i += 4) {
      data.push(rgba[i] as number);
    }
    return { width: canvas.width, height: canvas.height, data };
  });
}

/**
 * The stored value between air and tissue: the iterative two-means (isodata) threshold, started from
 * the mean; air and tissue are the two large populations of a mammogram.
 */
function tissueThreshold(reference: ReferencePixels): number {
  const values = Array.from(reference.values);
  let threshold = values.reduce((sum, value) => sum + value, 0) / values.length;
  for (let round = 0; round < 50; round += 1) {
    let below = 0;
    let belowCount = 0;
    let above = 0;
    let aboveCount = 0;
    for (const value of values) {
      if (value > threshold) {
        above += value;
        aboveCount += 1;
      } else {
        below += value;
        belowCount += 1;
      }
    }
    const next = (below / Math.max(1, belowCount) + above / Math.max(1, aboveCount)) / 2;
    if (Math.abs(next - threshold) < 0.5) {
      return next;
    }
    threshold = next;
  }
  return threshold;
}

interface CellMeasure {
  slot: string;
  label: ViewportLabel;
  extent: Extent;
  size: { width: number; height: number; pixelRatio: number };
  /** Share of the drawn image's rows with tissue, in the image's first and last drawn column (canvas). */
  tissueAtLeftEdge: number;
  tissueAtRightEdge: number;
  /** Physical mm per CSS pixel: from the label (zoom against the fit), and from the breast's drawn area. */
  mmPerPixelFromLabel: number;
  mmPerPixelFromBreast: number;
}

async function measure(page: Page, slot: string, sop: string): Promise<CellMeasure> {
  const viewport = cell(page, slot);
  const known = references.get(sop);
  if (!known) {
    throw new Error(`unknown image ${sop}`);
  }
  const { reference, physicalMm } = known;
  const label = await readLabel(viewport);
  expect(label.sopInstanceUid).toBe(sop);
  const size = await canvasSize(viewport);
  const extent = drawnExtent(reference, label, size);
  const pixels = await canvasPixels(viewport);
  const threshold = tissueThreshold(reference);
  const screenThreshold = windowed(threshold, reference, label);
  const tissue = (x: number, y: number): boolean => (pixels.data[y * pixels.width + x] as number) > screenThreshold;
  const top = Math.max(0, Math.ceil(extent.top));
  const bottom = Math.min(pixels.height, Math.floor(extent.bottom));
  const share = (x: number): number => {
    let count = 0;
    for (let y = top; y < bottom; y += 1) {
      count += tissue(x, y) ? 1 : 0;
    }
    return count / Math.max(1, bottom - top);
  };
  // One column inside each drawn edge: the edge column itself mixes image and background.
  const leftColumn = Math.min(pixels.width - 1, Math.max(0, Math.ceil(extent.left) + 1));
  const rightColumn = Math.min(pixels.width - 1, Math.max(0, Math.floor(extent.right) - 2));
  let screenTissue = 0;
  for (let y = 0; y < pixels.height; y += 1) {
    for (let x = 0; x < pixels.width; x += 1) {
      screenTissue += tissue(x, y) ? 1 : 0;
    }
  }
  const storedTissue = Array.from(reference.values).filter((value) => value > threshold).length;
  // Canvas pixels per image pixel, from the label: the fit (image fitted to the canvas) times the zoom.
  const fit = Math.min(size.width / reference.columns, size.height / reference.rows);
  const canvasPerImagePixel = fit * label.zoom;
  return {
    slot,
    label,
    extent,
    size,
    tissueAtLeftEdge: share(leftColumn),
    tissueAtRightEdge: share(rightColumn),
    mmPerPixelFromLabel: (physicalMm / canvasPerImagePixel) * size.pixelRatio,
    mmPerPixelFromBreast: physicalMm * Math.sqrt(storedTissue / screenTissue) * size.pixelRatio,
  };
}

async function openHangingView(page: Page): Promise<void> {
  await page.setViewportSize({ width: 1800, height: 1100 });
  await page.goto(host.openUrl);
  await linkIdentities(page);
  await page.getByRole('button', { name: 'Library' }).click();
  const current = fileOf('current', 'R', 'CC');
  // Opened from the worklist as a reader does: a mammography protocol applies, so the study hangs.
  await page.locator(`table[aria-label="Library"] tr[data-study-uid="${current.studyInstanceUid}"]`).dblclick();
  await expect(page.locator('.hanging')).toHaveAttribute('data-stage', '1', { timeout: 30_000 });
}

async function waitForCells(page: Page, slots: string[]): Promise<void> {
  for (const slot of slots) {
    await expect(cell(page, slot)).toHaveAttribute('data-rendered', 'true', { timeout: 30_000 });
  }
  // Let the frame after the last placement land before reading canvases.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

test('the screening overview hangs current and prior back to back, same size, the prior row tagged; stages and priors step by key', async ({ page }) => {
  // Many stages and priors, each read back from its canvases: more than the default limit on a loaded machine.
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await openHangingView(page);
  const grid = page.locator('.hang-grid');
  await expect(grid).toHaveAttribute('data-rows', '2');
  await expect(grid).toHaveAttribute('data-columns', '4');
  const prior = manifest.studies.find((s) => s.key === 'prior-1y');
  expect(prior).toBeDefined();

  // Each of the eight images in its cell.
  const expected = new Map(OVERVIEW.map(([slot, role, laterality, view]) => [slot, fileOf(role === 'prior' ? 'prior-1y' : 'current', laterality, view)]));
  await waitForCells(page, [...expected.keys()]);
  for (const [slot, role] of OVERVIEW) {
    await expect(cell(page, slot)).toHaveAttribute('data-sop-instance-uid', expected.get(slot)?.sopInstanceUid as string);
    await expect(cell(page, slot)).toHaveAttribute('data-study-role', role);
  }
  await page.screenshot({ path: 'test-results/e2e/hanging-overview.png' });

  // The prior row: coloured border, and the prior's date and facility on every prior cell.
  const priorCells = page.locator('.hang-cell.prior');
  await expect(priorCells).toHaveCount(4);
  for (let i = 0; i < 4; i += 1) {
    await expect(priorCells.nth(i).locator('[data-prior-tag]')).toHaveText(`Prior 2025-09-30 · ${prior?.facility}`);
  }
  const border = await priorCells.first().evaluate((element) => getComputedStyle(element).borderTopColor);
  const currentBorder = await page.locator('.hang-cell.current').last().evaluate((element) => getComputedStyle(element).borderTopColor);
  expect(border).not.toBe(currentBorder);
  await expect(page.locator('.hang-cell.current [data-prior-tag]')).toHaveCount(0);

  // Back to back, on the rendered pixels: each right image's chest wall at the right edge of its cell
  // (the seam), each left image's at the left edge; tissue there, air at the outer side; top-justified.
  const measures: CellMeasure[] = [];
  for (const [slot, , laterality] of OVERVIEW) {
    const m = await measure(page, slot, expected.get(slot)?.sopInstanceUid as string);
    measures.push(m);
    const seamEdge = laterality === 'R' ? m.extent.right : m.extent.left;
    const seamOfCell = laterality === 'R' ? m.size.width : 0;
    expect(Math.abs(seamEdge - seamOfCell), `${slot}: chest-wall edge at the seam`).toBeLessThan(1.5);
    expect(Math.abs(m.extent.top), `${slot}: top-justified`).toBeLessThan(1.5);
    const atSeam = laterality === 'R' ? m.tissueAtRightEdge : m.tissueAtLeftEdge;
    const outer = laterality === 'R' ? m.tissueAtLeftEdge : m.tissueAtRightEdge;
    expect(atSeam, `${slot}: tissue touches the seam`).toBeGreaterThan(0.3);
    expect(outer, `${slot}: air at the outer side`).toBeLessThan(0.05);
  }

  // Same size: one physical mm is the same number of screen pixels in all eight cells, current and prior
  // (their detectors differ: 0.085 and 0.1 mm pixels), by the label and by the breast's drawn area.
  for (const key of ['mmPerPixelFromLabel', 'mmPerPixelFromBreast'] as const) {
    const values = measures.map((m) => m[key]);
    const spread = Math.max(...values) / Math.min(...values) - 1;
    console.log(`${key}: ${values.map((v) => v.toFixed(5)).join(' ')} (spread ${(spread * 100).toFixed(2)} %)`);
    expect(spread, key).toBeLessThan(0.01);
  }
  // The two ways agree with each other too.
  for (const m of measures) {
    expect(Math.abs(m.mmPerPixelFromBreast / m.mmPerPixelFromLabel - 1), m.slot).toBeLessThan(0.01);
  }

  // The prior images stored the other way are flipped (both flips may be said as a half turn), and drawn
  // exactly as their label says; the same image drawn unflipped does not match the screen.
  const known: KnownImages = new Map([...references].map(([sop, { reference, spacing }]) => [sop, { reference, spacing }]));
  const mirrored = (label: ViewportLabel): { horizontal: boolean; vertical: boolean } => ({
    horizontal: label.flipHorizontal !== (label.rotation === 180),
    vertical: label.flipVertical !== (label.rotation === 180),
  });
  for (const [slot, flips] of [['vp-2', { horizontal: true, vertical: true }], ['vp-1', { horizontal: true, vertical: false }]] as const) {
    const check = await checkScreen(page, cell(page, slot), known, 4, [{ flipHorizontal: false, flipVertical: false, rotation: 0 }]);
    expect(mirrored(check.label), slot).toEqual(flips);
    console.log(`${slot} screen oracle: mean ${check.labelled.meanAbs.toFixed(2)}, p95 ${check.labelled.p95}; as stored p95 ${check.controls[0]?.comparison.p95}`);
    expect(check.labelled.meanAbs).toBeLessThan(2.5);
    expect(check.labelled.p95).toBeLessThanOrEqual(8);
    expect(check.controls[0]?.comparison.p95).toBeGreaterThan(8);
  }
  // View labels sit at the outer top corner, in air.
  await expect(cell(page, 'vp-0').locator('xpath=..').locator('.hang-corner.top-left [data-view-label]')).toHaveText('RMLO');
  await expect(cell(page, 'vp-1').locator('xpath=..').locator('.hang-corner.top-right [data-view-label]')).toHaveText('LMLO');

  // The older prior lacks its left CC: stepping to it leaves that cell empty and labelled, the layout unchanged.
  const boxes = await Promise.all(OVERVIEW.map(([slot]) => cell(page, slot).boundingBox()));
  await page.keyboard.press('}');
  await expect(page.getByLabel('Prior')).toHaveValue(manifest.studies.find((s) => s.key === 'prior-2y')?.studyInstanceUid as string);
  const empty = page.locator('.hang-grid [data-slot="vp-3"]');
  await expect(empty).toHaveAttribute('data-empty', /No prior LCC/);
  await expect(empty).toContainText('No prior LCC');
  // The hostile facility name: shown as text on every prior cell, cut short, no element made of it.
  await expect(page.locator('.hang-cell.prior [data-prior-tag]')).toHaveText(Array.from({ length: 4 }, () => `Prior 2024-10-08 · ${SHOWN_FACILITY}`));
  await expect(page.locator('.hanging img')).toHaveCount(0);
  expect(await page.title()).not.toBe('1');
  await expect(empty).toHaveAttribute('data-study-role', 'prior');
  // Nothing of the image it showed before stays on it.
  await expect(empty).not.toHaveAttribute('data-sop-instance-uid', /./);
  await expect(empty.locator('canvas')).toHaveCount(0);
  const labelBox = await empty.locator('.hang-empty-label').boundingBox();
  const emptyBox = await empty.boundingBox();
  expect(Math.abs((labelBox?.x ?? 0) + (labelBox?.width ?? 0) / 2 - ((emptyBox?.x ?? 0) + (emptyBox?.width ?? 0) / 2)), 'the label is centred').toBeLessThan(2);
  await expect(cell(page, 'vp-2')).toHaveAttribute('data-sop-instance-uid', fileOf('prior-2y', 'R', 'CC').sopInstanceUid, { timeout: 30_000 });
  const boxesAfter = await Promise.all(OVERVIEW.map(([slot]) => cell(page, slot).boundingBox()));
  for (let i = 0; i < boxes.length; i += 1) {
    for (const side of ['x', 'y', 'width', 'height'] as const) {
      expect(Math.abs((boxesAfter[i]?.[side] ?? NaN) - (boxes[i]?.[side] ?? NaN)), `${OVERVIEW[i]?.[0]} ${side}`).toBeLessThan(4);
    }
  }
  await page.screenshot({ path: 'test-results/e2e/hanging-missing-view.png' });
  // The prior menu lists both priors with date and facility, and takes the reader back to the newer one.
  const menu = page.getByLabel('Prior');
  await expect(menu).toHaveAttribute('title', /^Why this prior: /);
  await expect(menu.locator('option')).toHaveText([`Prior 2025-09-30 · ${prior?.facility}`, `Prior 2024-10-08 · ${SHOWN_FACILITY}`]);
  await menu.selectOption(prior?.studyInstanceUid as string);
  await expect(cell(page, 'vp-3')).toHaveAttribute('data-sop-instance-uid', fileOf('prior-1y', 'L', 'CC').sopInstanceUid, { timeout: 30_000 });
  // And '{' steps back to the newer prior from the older one.
  await page.keyboard.press('}');
  await expect(page.locator('.hang-grid [data-slot="vp-3"][data-empty]')).toHaveCount(1);
  await page.keyboard.press('{');
  await expect(cell(page, 'vp-3')).toHaveAttribute('data-sop-instance-uid', fileOf('prior-1y', 'L', 'CC').sopInstanceUid, { timeout: 30_000 });

  // A smaller window: every image is placed again for its new cell, still at the seam and the same size.
  await page.setViewportSize({ width: 1400, height: 900 });
  await expect.poll(async () => (await canvasSize(cell(page, 'vp-0'))).width, { timeout: 10_000 }).toBeLessThan(400);
  await waitForCells(page, [...expected.keys()]);
  const resized: CellMeasure[] = [];
  for (const [slot, , laterality] of OVERVIEW) {
    const m = await measure(page, slot, expected.get(slot)?.sopInstanceUid as string);
    resized.push(m);
    const seamEdge = laterality === 'R' ? m.extent.right : m.extent.left;
    expect(Math.abs(seamEdge - (laterality === 'R' ? m.size.width : 0)), `${slot} after resizing: chest-wall edge at the seam`).toBeLessThan(1.5);
  }
  const resizedScale = resized.map((m) => m.mmPerPixelFromLabel);
  expect(Math.max(...resizedScale) / Math.min(...resizedScale) - 1).toBeLessThan(0.01);
  expect(resizedScale[0]).toBeGreaterThan((measures[0]?.mmPerPixelFromLabel ?? 0) * 1.1);
  await page.screenshot({ path: 'test-results/e2e/hanging-overview-smaller.png' });

  // Stage switching by keyboard: the next stage (current 4-up) is a 2x2 grid; back again.
  await page.keyboard.press(']');
  await expect(page.locator('.hanging')).toHaveAttribute('data-stage', '2');
  await expect(grid).toHaveAttribute('data-columns', '2');
  await expect(page.locator('.stage-bar [aria-current="step"]')).toContainText('Current 4-up');
  await waitForCells(page, ['vp-0', 'vp-1', 'vp-2', 'vp-3']);
  // Each image placed for its new, larger cell (not the overview's): pairs back to back, same size.
  const fourUp: [string, 'R' | 'L', 'CC' | 'MLO'][] = [['vp-0', 'R', 'CC'], ['vp-1', 'L', 'CC'], ['vp-2', 'R', 'MLO'], ['vp-3', 'L', 'MLO']];
  const stage2: CellMeasure[] = [];
  for (const [slot, laterality, view] of fourUp) {
    const sop = fileOf('current', laterality, view).sopInstanceUid;
    await expect(cell(page, slot)).toHaveAttribute('data-sop-instance-uid', sop);
    const m = await measure(page, slot, sop);
    stage2.push(m);
    expect(Math.abs((laterality === 'R' ? m.extent.right : m.extent.left) - (laterality === 'R' ? m.size.width : 0)), `${slot} in stage 2: at the seam`).toBeLessThan(1.5);
    expect(Math.abs(m.extent.top), `${slot} in stage 2: top-justified`).toBeLessThan(1.5);
  }
  const stage2Scale = stage2.map((m) => m.mmPerPixelFromLabel);
  expect(Math.max(...stage2Scale) / Math.min(...stage2Scale) - 1).toBeLessThan(0.01);
  await page.screenshot({ path: 'test-results/e2e/hanging-stage-2.png' });
  await page.keyboard.press('[');
  await expect(page.locator('.hanging')).toHaveAttribute('data-stage', '1');
  await expect(grid).toHaveAttribute('data-columns', '4');
  // The plain series viewer stays one click away.
  await page.getByRole('button', { name: 'Series viewer' }).click();
  await expect(page.locator('[data-viewport="vp-0"]')).toHaveAttribute('data-rendered', 'true', { timeout: 30_000 });
  await expect(page.getByRole('toolbar', { name: 'Viewer tools' })).toBeVisible();
  // And back to the hanging view from the series viewer.
  await page.getByRole('button', { name: 'Hang', exact: true }).click();
  await expect(page.locator('.hanging')).toHaveAttribute('data-stage', '1', { timeout: 30_000 });
  expect(errors).toEqual([]);
});

test('the arrangement is saved as a protocol, renamed and deleted on the protocols page; the overview preferences move the prior row and the pairs', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1800, height: 1100 });
  await page.goto(host.openUrl);
  await linkIdentities(page);
  const current = fileOf('current', 'R', 'CC').studyInstanceUid;
  await page.goto(`${host.base}#/hang/${current}`);
  await expect(page.locator('.hanging')).toHaveAttribute('data-stage', '1', { timeout: 30_000 });

  await page.getByRole('button', { name: 'Save arrangement as protocol' }).click();
  await page.getByLabel('Protocol name').fill('My overview');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.locator('.save-arrangement [role="status"]')).toHaveText('Saved as "My overview"');

  await page.getByRole('link', { name: 'Protocols' }).click();
  const mine = page.getByRole('region', { name: 'Your protocols' }).locator('[data-protocol-id="user-my-overview"]');
  await expect(mine.getByRole('textbox')).toHaveValue('My overview');
  await mine.getByRole('textbox').fill('Overview, mine');
  await mine.getByRole('button', { name: 'Rename' }).click();
  await expect(mine.getByRole('textbox')).toHaveValue('Overview, mine');
  // The library holds it under the new name.
  const listed = await pageApi<{ protocols: { id: string; name: string; level: string }[] }>(page, 'listProtocols', {});
  expect(listed.protocols.find((p) => p.id === 'user-my-overview')).toMatchObject({ name: 'Overview, mine', level: 'user' });

  await page.getByLabel('Prior row').selectOption('bottom');
  await expect.poll(async () => (await pageApi<{ preferences: { priorRow: string } }>(page, 'listProtocols', {})).preferences.priorRow).toBe('bottom');
  await page.getByLabel('Overview pair order').selectOption('cc-first');
  await expect.poll(async () => (await pageApi<{ preferences: { mammoOverviewOrder: string } }>(page, 'listProtocols', {})).preferences.mammoOverviewOrder).toBe('cc-first');
  await page.screenshot({ path: 'test-results/e2e/hanging-protocols-page.png', fullPage: true });
  await page.goto(`${host.base}#/hang/${current}`);
  await expect(page.locator('.hanging')).toHaveAttribute('data-protocol', 'mg-second-opinion', { timeout: 30_000 });
  await expect(cell(page, 'vp-0')).toHaveAttribute('data-study-role', 'current');
  await expect(cell(page, 'vp-4')).toHaveAttribute('data-study-role', 'prior');
  // Prior row at the bottom, CC pair first: current RCC top left, prior RCC bottom left, prior LMLO bottom right.
  await expect(cell(page, 'vp-0')).toHaveAttribute('data-sop-instance-uid', fileOf('current', 'R', 'CC').sopInstanceUid, { timeout: 30_000 });
  await expect(cell(page, 'vp-4')).toHaveAttribute('data-sop-instance-uid', fileOf('prior-1y', 'R', 'CC').sopInstanceUid, { timeout: 30_000 });
  await expect(cell(page, 'vp-7')).toHaveAttribute('data-sop-instance-uid', fileOf('prior-1y', 'L', 'MLO').sopInstanceUid, { timeout: 30_000 });
  await page.screenshot({ path: 'test-results/e2e/hanging-preferences.png' });

  await page.getByRole('link', { name: 'Protocols' }).click();
  await page.getByLabel('Prior row').selectOption('top');
  await page.getByLabel('Overview pair order').selectOption('mlo-first');
  await mine.getByRole('button', { name: 'Delete' }).click();
  await expect(mine).toHaveCount(0);
  const after = await pageApi<{ protocols: { id: string }[]; preferences: { priorRow: string; mammoOverviewOrder: string } }>(page, 'listProtocols', {});
  expect(after.protocols.some((p) => p.id === 'user-my-overview')).toBe(false);
  expect(after.preferences).toMatchObject({ priorRow: 'top', mammoOverviewOrder: 'mlo-first' });
  expect(errors).toEqual([]);
});

test('without Patient Orientation the chest wall is found in the pixels: each cell says "orientation from the image" and the pairs still meet at the seam', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1800, height: 1100 });
  await page.goto(host.openUrl);
  const files = manifest.files.filter((f) => f.study === UNORIENTED);
  await page.goto(`${host.base}#/hang/${files[0]?.studyInstanceUid}`);
  await expect(page.locator('.hanging')).toHaveAttribute('data-protocol', 'mg-second-opinion', { timeout: 30_000 });
  // The current study alone (the same patient's other variant studies would fill a prior row).
  await page.locator('.stage-bar button', { hasText: 'Current 4-up' }).click();
  await expect(page.locator('.stage-bar [aria-current="step"]')).toContainText('Current 4-up');
  const viewports = page.locator('.hang-grid [data-viewport]');
  await expect(viewports).toHaveCount(4);
  const slots = await viewports.evaluateAll((elements) => elements.map((element) => (element as HTMLElement).dataset.slot ?? ''));
  await waitForCells(page, slots);
  await page.screenshot({ path: 'test-results/e2e/hanging-orientation-inferred.png' });
  const shown = new Set<string>();
  for (const slot of slots) {
    const sop = (await cell(page, slot).getAttribute('data-sop-instance-uid')) ?? '';
    const file = files.find((f) => f.sopInstanceUid === sop);
    expect(file, `${slot} shows an image of the study`).toBeDefined();
    shown.add(sop);
    await expect(cell(page, slot).locator('xpath=..').locator('[data-orientation-note]')).toHaveText('orientation from the image');
    // The label's tooltip says why: the rules that fired, and the calibration.
    await expect(cell(page, slot).locator('xpath=..').locator('[data-view-label]')).toHaveAttribute('title', /laterality: [^\n]+\n[\s\S]*calibration: /);
    const m = await measure(page, slot, sop);
    const atSeam = file?.laterality === 'R' ? m.tissueAtRightEdge : m.tissueAtLeftEdge;
    const outer = file?.laterality === 'R' ? m.tissueAtLeftEdge : m.tissueAtRightEdge;
    expect(atSeam, `${slot} ${file?.laterality}${file?.view}: tissue at the seam`).toBeGreaterThan(0.3);
    expect(outer, `${slot} ${file?.laterality}${file?.view}: air at the outer side`).toBeLessThan(0.05);
  }
  expect(shown.size).toBe(4);
  expect(errors).toEqual([]);
});

test('zooming one cell of a current-versus-prior stage zooms its partner by the same factor: they stay the same size', async ({ page }) => {
  await page.setViewportSize({ width: 1800, height: 1100 });
  await page.goto(host.openUrl);
  await linkIdentities(page);
  await page.goto(`${host.base}#/hang/${fileOf('current', 'R', 'CC').studyInstanceUid}`);
  await expect(page.locator('.hanging')).toHaveAttribute('data-stage', '1', { timeout: 30_000 });
  await page.locator('.stage-bar button', { hasText: 'CC current vs prior' }).click();
  await expect(page.locator('.hanging')).toHaveAttribute('data-stage', '3');
  // Prior CC pair on top, current below: the right breast's prior and current zoom together.
  const pair: [string, string][] = [['vp-0', fileOf('prior-1y', 'R', 'CC').sopInstanceUid], ['vp-2', fileOf('current', 'R', 'CC').sopInstanceUid]];
  await waitForCells(page, pair.map(([slot]) => slot));
  for (const [slot, sop] of pair) {
    await expect(cell(page, slot)).toHaveAttribute('data-sop-instance-uid', sop);
  }
  const scale = async (): Promise<number[]> => Promise.all(pair.map(async ([slot, sop]) => (await measure(page, slot, sop)).mmPerPixelFromLabel));
  // Placed and settled: both drawn at the stage's common scale.
  await expect.poll(async () => {
    const [prior, current] = await scale();
    return Math.abs((prior as number) / (current as number) - 1);
  }, { timeout: 15_000 }).toBeLessThan(0.01);
  const before = await scale();
  // Zoom the current one in with the right button (the zoom drag).
  const box = await cell(page, 'vp-2').boundingBox();
  const x = (box?.x ?? 0) + (box?.width ?? 0) / 2;
  const y = (box?.y ?? 0) + (box?.height ?? 0) / 2;
  await page.mouse.move(x, y);
  await page.mouse.down({ button: 'right' });
  await page.mouse.move(x, y + 80, { steps: 10 });
  await page.mouse.up({ button: 'right' });
  await expect.poll(async () => (await scale())[1] as number, { timeout: 15_000 }).not.toBeCloseTo(before[1] as number, 3);
  await waitForCells(page, pair.map(([slot]) => slot));
  const after = await scale();
  console.log(`mm per CSS pixel before ${before.map((v) => v.toFixed(4)).join(' / ')}, after zooming the current: ${after.map((v) => v.toFixed(4)).join(' / ')}`);
  expect(Math.abs((after[1] as number) / (before[1] as number) - 1), 'the zoom changed').toBeGreaterThan(0.1);
  expect(Math.abs((after[0] as number) / (after[1] as number) - 1), 'prior and current still the same size').toBeLessThan(0.01);
});

test('a repeated view is offered as another image of the cell, and tomosynthesis objects are listed as not hung, with why', async ({ page }) => {
  await page.setViewportSize({ width: 1800, height: 1100 });
  await page.goto(host.openUrl);
  const repeated = manifest.files.filter((f) => f.study === 'additional-views' && f.laterality === 'R' && f.view === 'MLO' && f.modifiers.length === 0);
  expect(repeated).toHaveLength(2);
  await page.goto(`${host.base}#/hang/${repeated[0]?.studyInstanceUid}`);
  await expect(page.locator('.hanging')).toHaveAttribute('data-protocol', 'mg-second-opinion', { timeout: 30_000 });
  // The other variant studies are the same patient's earlier ones: the current row holds this study.
  const rmlo = page.locator('.hang-cell.current', { has: page.locator('[data-view-label]', { hasText: /^RMLO$/ }) }).first();
  await expect(rmlo.locator('[data-alternatives]')).toHaveText('+1 more');
  await expect(rmlo.locator('[data-alternatives]')).toHaveAttribute('title', '1 other image of this view');
  await expect(rmlo.locator('[data-viewport]')).toHaveAttribute('data-rendered', 'true', { timeout: 30_000 });
  const shown = await rmlo.locator('[data-viewport]').getAttribute('data-sop-instance-uid');
  expect(repeated.map((f) => f.sopInstanceUid)).toContain(shown);

  // The tomosynthesis study: its tomosynthesis object and vendor projection set are kept out of the 2D stages, each said with why.
  const notImages2d = manifest.files.filter((f) => f.study === 'tomosynthesis' && f.kind !== 'mammogram');
  expect(notImages2d.map((f) => f.kind).sort()).toEqual(['projection-set', 'tomosynthesis']);
  await page.goto(`${host.base}#/hang/${notImages2d[0]?.studyInstanceUid}`);
  await expect(page.locator('.hanging')).toHaveAttribute('data-protocol', 'mg-second-opinion', { timeout: 30_000 });
  const additional = page.locator('.hang-additional');
  await expect(additional.locator('summary')).toHaveText('Not hung (2)');
  await additional.locator('summary').click();
  await expect(additional.locator('li')).toHaveCount(2);
  for (const text of await additional.locator('li').allTextContents()) {
    console.log(`not hung: ${text}`);
    expect(text).toMatch(/^.+: .+/);
  }
  await page.screenshot({ path: 'test-results/e2e/hanging-not-hung.png' });
});

/** The current 4-up stage of one orientation case: RCC, LCC above RMLO, LMLO, each pair back to back. */
const FOUR_UP: [string, 'R' | 'L', 'CC' | 'MLO'][] = [['vp-0', 'R', 'CC'], ['vp-1', 'L', 'CC'], ['vp-2', 'R', 'MLO'], ['vp-3', 'L', 'MLO']];

async function hangFourUp(page: Page, orientationCase: OrientationCase): Promise<void> {
  await page.goto(`${host.base}#/hang/${orientationCase.study.studyInstanceUid}`);
  await expect(page.locator('.hanging')).toHaveAttribute('data-protocol', 'mg-second-opinion', { timeout: 30_000 });
  await page.locator('.stage-bar button', { hasText: 'Current 4-up' }).click();
  await expect(page.locator('.stage-bar [aria-current="step"]')).toContainText('Current 4-up');
  for (const [slot, laterality, view] of FOUR_UP) {
    const file = orientationCase.files.find((f) => f.laterality === laterality && f.view === view);
    await expect(cell(page, slot)).toHaveAttribute('data-sop-instance-uid', file?.sopInstanceUid as string, { timeout: 30_000 });
  }
  await waitForCells(page, FOUR_UP.map(([slot]) => slot));
}

/** On the canvas: tissue against the edge the chest wall should meet, air at the other. */
async function chestWallAt(page: Page, slot: string, sop: string, side: 'left' | 'right', what: string): Promise<void> {
  const m = await measure(page, slot, sop);
  const atWall = side === 'right' ? m.tissueAtRightEdge : m.tissueAtLeftEdge;
  const across = side === 'right' ? m.tissueAtLeftEdge : m.tissueAtRightEdge;
  expect(atWall, `${what}: tissue at the ${side} edge`).toBeGreaterThan(0.3);
  expect(across, `${what}: air at the other edge`).toBeLessThan(0.05);
}

test('every side, view, storage and form of Patient Orientation hangs with the chest walls at the seam; only contradictions warn, in red', async ({ page }) => {
  // Eight studies of four cells, each read back from its canvas.
  test.setTimeout(600_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(host.openUrl);
  expect(orientationCases).toHaveLength(8);
  for (const orientationCase of orientationCases) {
    const { form, mirrored } = orientationCase;
    await hangFourUp(page, orientationCase);
    const notes = page.locator('.hang-grid [data-orientation-note]');
    const warnings = page.locator('.hang-grid [data-orientation-warning]');
    const statusAlerts = page.locator('.hang-warnings .orientation-alert');
    console.log(`orientation case: Patient Orientation ${form}, ${mirrored ? 'stored mirrored' : 'stored as hung'}`);
    for (const [slot, laterality, view] of FOUR_UP) {
      const file = orientationCase.files.find((f) => f.laterality === laterality && f.view === view) as FixtureFile;
      const what = `${laterality}${view} ${mirrored ? 'stored mirrored' : 'stored as hung'}, Patient Orientation ${form} (${file.patientOrientation ?? 'none'})`;
      // The breast really lies against the stored edge the fixture says; hung, its chest wall meets the seam.
      expect(file.chestWallSide, what).toBe(mirrored === (laterality === 'R') ? 'left' : 'right');
      await chestWallAt(page, slot, file.sopInstanceUid, laterality === 'R' ? 'right' : 'left', what);
      const notesOfCell = cell(page, slot).locator('xpath=..');
      if (form === 'contradicting') {
        const warning = notesOfCell.locator('[data-orientation-warning="disagree"]');
        await expect(warning, what).toBeVisible();
        await expect(warning, what).toContainText('header and image disagree: check the marker');
        // Unmistakable: white on red, and a red frame around the cell.
        const colours = await warning.evaluate((element) => [getComputedStyle(element).backgroundColor, getComputedStyle(element).color]);
        const [red, green, blue] = (colours[0]?.match(/\d+/g) ?? []).map(Number);
        expect((red ?? 0) > 150 && (green ?? 255) < 60 && (blue ?? 255) < 60, `${what}: red background ${colours[0]}`).toBe(true);
        expect(colours[1], what).toBe('rgb(255, 255, 255)');
        await expect(notesOfCell.locator('.hang-alert-frame'), what).toHaveCount(1);
        await expect(warning.getByRole('button', { name: 'Flip' }), what).toBeVisible();
        await expect(warning.getByRole('button', { name: 'Keep' }), what).toBeVisible();
      } else if (form === 'absent') {
        await expect(notesOfCell.locator('[data-orientation-note]'), what).toHaveText('orientation from the image');
      }
    }
    if (form === 'contradicting') {
      await expect(warnings).toHaveCount(4);
      // The stage's status says so too, naming each view.
      await expect(statusAlerts).toHaveText(['RCC, LCC, RMLO, LMLO: header and image disagree: check the marker (flip or keep it on each cell)']);
      if (mirrored) {
        await page.screenshot({ path: '.scratch/orientation-contradiction.png' });
      }
    } else {
      await expect(warnings).toHaveCount(0);
      await expect(statusAlerts).toHaveCount(0);
      await expect(notes).toHaveCount(form === 'absent' ? 4 : 0);
      // Header and pixels agree: no orientation note of any kind on any cell.
      if (form !== 'absent') {
        for (const text of await page.locator('.hang-grid .hang-notes').allTextContents()) {
          expect(text, `${form} ${mirrored ? 'mirrored' : 'as hung'}`).not.toMatch(/orientation|marker|flip|rotat|stored/i);
        }
      }
      if (form === 'abbreviated' && mirrored) {
        await page.screenshot({ path: '.scratch/orientation-agree.png' });
      }
    }
  }
  expect(errors).toEqual([]);
});

test('the reader flips a contradicted image with one click: it hangs the other way, stays so after a reload, and can be flipped back', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(host.openUrl);
  const contradicting = orientationCases.find((c) => c.form === 'contradicting' && c.mirrored) as OrientationCase;
  const rmlo = contradicting.files.find((f) => f.laterality === 'R' && f.view === 'MLO') as FixtureFile;
  await hangFourUp(page, contradicting);
  const notes = cell(page, 'vp-2').locator('xpath=..');
  // Stored mirrored (chest wall at the stored left edge), its header says the right: hung as the pixels show.
  await chestWallAt(page, 'vp-2', rmlo.sopInstanceUid, 'right', 'before the choice');
  await notes.locator('[data-orientation-warning]').getByRole('button', { name: 'Flip' }).click();
  await expect(notes.locator('[data-orientation-note="chosen"]')).toContainText('orientation chosen by the reader', { timeout: 30_000 });
  await expect(notes.locator('[data-orientation-warning]')).toHaveCount(0);
  await expect(page.locator('.hang-warnings .orientation-alert')).toHaveText(['RCC, LCC, LMLO: header and image disagree: check the marker (flip or keep it on each cell)']);
  await waitForCells(page, ['vp-2']);
  // What is on screen changed: the header's way, the chest wall now at the outer edge.
  await expect.poll(async () => (await measure(page, 'vp-2', rmlo.sopInstanceUid)).tissueAtLeftEdge, { timeout: 15_000 }).toBeGreaterThan(0.3);
  await chestWallAt(page, 'vp-2', rmlo.sopInstanceUid, 'left', 'after flipping');
  await page.screenshot({ path: '.scratch/orientation-flipped.png' });

  // Kept in the library: a reload hangs it the reader's way.
  await page.reload();
  await hangFourUp(page, contradicting);
  await expect(cell(page, 'vp-2').locator('xpath=..').locator('[data-orientation-note="chosen"]')).toBeVisible();
  await chestWallAt(page, 'vp-2', rmlo.sopInstanceUid, 'left', 'after reloading');

  // And flipped back with one more click: the chest wall at the seam again, still the reader's choice.
  await cell(page, 'vp-2').locator('xpath=..').locator('[data-orientation-note="chosen"]').getByRole('button', { name: 'Flip' }).click();
  await expect.poll(async () => (await measure(page, 'vp-2', rmlo.sopInstanceUid)).tissueAtRightEdge, { timeout: 15_000 }).toBeGreaterThan(0.3);
  await chestWallAt(page, 'vp-2', rmlo.sopInstanceUid, 'right', 'after flipping back');
});
