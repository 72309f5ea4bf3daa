/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { concordJson } from '../support/cli.ts';
import { haveTool } from '../support/environment.ts';
import { generateHangingFixtures } from '../support/hanging-fixtures.ts';
import type { FixtureFile, HangingManifest } from '../support/hanging-fixtures.ts';
import { cleanupTempDirs, openIndex, tempDir } from '../support/library.ts';
import { hangingSlotShowing, pageApi } from '../support/page-api.ts';
import { referencePixels } from '../support/reference-pixels.ts';
import type { ReferencePixels } from '../support/reference-pixels.ts';
import { canvasPoint, canvasSize, readLabel } from '../support/screen-oracle.ts';
import type { ViewportLabel } from '../support/screen-oracle.ts';
import { startServe } from '../support/serve.ts';
import type { RunningHost } from '../support/serve.ts';

/**
 * The reporting pane beside the hanging view (issue 17, items 2 and 6) on the synthetic screening set:
 * the current study at Northside under one patient ID, two priors at Lakeview under another, linked.
 * At 1600x1000 with the pane open every hung image is still drawn whole and undistorted; a key image
 * captured from a prior cell hung mirrored faces the way the screen does (its chest wall where the
 * hanging put it, not where the file stores it); a click on a hung image starts a finding with its
 * side, view and location; comparison and technique come from what was hung; and the patient-safety
 * header names the patient, and the prior under its own identity, as text.
 */

let host: RunningHost;
let manifest: HangingManifest;
let fixtures = '';
let library = '';
const work = (): string => tempDir();
const SHOTS = 'test-results/e2e';
/** Markup in the older prior's Institution Name: it must stay text wherever it is shown. */
const HOSTILE_FACILITY = '<img src=x onerror="document.title=1">Lakeview Annex';

test.skip(!haveTool('dcmdump', 'dcmtk') || !haveTool('dcmodify', 'dcmtk'), 'needs dcmtk for the reference pixels and the hostile header');

function fileOf(study: string, laterality: string, view: string): FixtureFile {
  const file = manifest.files.find((f) => f.study === study && f.laterality === laterality && f.view === view && f.kind === 'mammogram');
  if (!file) {
    throw new Error(`the manifest has no ${study} ${laterality}${view}`);
  }
  return file;
}

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
  manifest = generateHangingFixtures({ out: fixtures, sets: ['screening'] });
  const mammograms = manifest.files.filter((f) => f.kind === 'mammogram');
  library = tempDir();
  concordJson(['import', medium(mammograms.filter((f) => f.study === 'current')), '--library', library]);
  concordJson([
    'import',
    medium(mammograms.filter((f) => f.study !== 'current'), (file, path) => {
      if (file.study === 'prior-2y') {
        execFileSync('dcmodify', ['-nb', '-m', `(0008,0080)=${HOSTILE_FACILITY}`, path], { stdio: 'ignore' });
      }
    }),
    '--library',
    library,
  ]);
  host = await startServe(library);
});

test.afterAll(async () => {
  await host?.stop();
  cleanupTempDirs();
});

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy|Refused to/.test(message.text())) {
      errors.push(message.text());
    }
  });
  return errors;
}

async function linkIdentities(page: Page): Promise<void> {
  const { patients } = await pageApi<{ patients: { identities: unknown[] }[] }>(page, 'listPatients', {});
  if (patients.some((patient) => patient.identities.length === 2)) {
    return;
  }
  const { proposals } = await pageApi<{ proposals: { id: number }[] }>(page, 'listProposals', { propose: true });
  expect(proposals).toHaveLength(1);
  await pageApi(page, 'decideProposal', { proposalId: proposals[0]?.id, decision: 'accept' });
}

const viewportOf = (page: Page, slot: string): Locator => page.locator(`.hang-grid [data-viewport="${slot}"]`);

async function openHanging(page: Page, study = 'current'): Promise<void> {
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(host.openUrl);
  await linkIdentities(page);
  await page.goto(`${host.base}#/hang/${fileOf(study, 'R', 'CC').studyInstanceUid}`);
  await expect(page.locator('.hanging')).toHaveAttribute('data-stage', '1', { timeout: 30_000 });
  await waitForStage(page);
}

/** Every image cell drawn, and the frame after the last placement landed. */
async function waitForStage(page: Page): Promise<void> {
  const viewports = page.locator('.hang-grid [data-viewport]');
  await expect(viewports).toHaveCount(8);
  for (let i = 0; i < 8; i += 1) {
    await expect(viewports.nth(i)).toHaveAttribute('data-rendered', 'true', { timeout: 30_000 });
  }
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** The stage's keys answer once the focus is off the pane's fields: a click on the safety header. */
async function leaveThePane(page: Page): Promise<void> {
  await page.locator('.hang-workspace > [data-safety-header]').click();
}

const pane = (page: Page): Locator => page.getByRole('complementary', { name: 'Report', exact: true });
const field = (scope: Locator, name: string): Locator => scope.locator(`[data-field="${name}"]`);

/** Opens the pane and starts the study's report if it has none yet. */
async function openReport(page: Page): Promise<Locator> {
  const toggle = page.locator('[data-report-toggle]');
  if ((await toggle.getAttribute('aria-pressed')) !== 'true') {
    await toggle.click();
  }
  const report = pane(page);
  await expect(report).toBeVisible();
  const start = report.getByRole('button', { name: 'Start the report' });
  await expect(start.or(report.locator('[data-report-status="draft"]'))).toBeVisible({ timeout: 15_000 });
  if (await start.isVisible()) {
    await start.click();
  }
  await expect(report.locator('[data-report-status="draft"]')).toBeVisible();
  return report;
}

interface Extent {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Where the labelled image's corners land on the canvas (canvas pixels), by the screen oracle's geometry. */
function drawnExtent(reference: ReferencePixels, label: ViewportLabel, size: { width: number; height: number; pixelRatio: number }): Extent {
  const corners = ([[0, 0], [reference.columns, 0], [0, reference.rows], [reference.columns, reference.rows]] as [number, number][])
    .map(([column, row]) => canvasPoint(reference, [1, 1], label, size, [column - 0.5, row - 0.5]));
  const xs = corners.map((p) => p[0]);
  const ys = corners.map((p) => p[1]);
  return { left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys) };
}

const references = new Map<string, ReferencePixels>();
function referenceOf(file: FixtureFile): ReferencePixels {
  const known = references.get(file.sopInstanceUid) ?? referencePixels(join(fixtures, file.path), work());
  references.set(file.sopInstanceUid, known);
  return known;
}

/** The stored pixel (column, row) at a point of the breast's canonical frame (u from the chest wall, v from the lateral/axillary side). */
function storedPoint(file: FixtureFile, u: number, v: number): [number, number] {
  const target = file.targetOrientation ?? '';
  expect(target, `${file.path} has a target orientation`).not.toBe('');
  // Without a stored orientation the unit laid the breast out as the target does (hanging-mammography.ts).
  const [, storedColumn] = (file.patientOrientation ?? target).split('\\');
  const [, targetColumn] = target.split('\\');
  const storedU = file.chestWallSide === 'left' ? u : 1 - u;
  const storedV = storedColumn !== targetColumn ? 1 - v : v;
  return [storedU * (file.columns - 1), storedV * (file.rows - 1)];
}

/** Clicks a hung cell where a stored pixel is drawn (the screen oracle's geometry from the cell's label). */
async function clickStoredPixel(page: Page, slot: string, file: FixtureFile, point: [number, number]): Promise<void> {
  const viewport = viewportOf(page, slot);
  const label = await readLabel(viewport);
  expect(label.sopInstanceUid).toBe(file.sopInstanceUid);
  const size = await canvasSize(viewport);
  const [x, y] = canvasPoint(referenceOf(file), [1, 1], label, size, point);
  const box = await viewport.locator('canvas').boundingBox();
  if (!box) {
    throw new Error(`${slot} has no canvas on screen`);
  }
  await page.mouse.click(box.x + x / size.pixelRatio, box.y + y / size.pixelRatio);
}

test('at 1600x1000 the reporting pane opens beside the stage by button and key; every hung image stays whole and undistorted; the safety header names both identities as text', async ({ page }) => {
  const errors = watchErrors(page);
  await openHanging(page);
  const current = manifest.studies.find((s) => s.key === 'current');
  const prior = manifest.studies.find((s) => s.key === 'prior-1y');

  // The patient-safety header: who, and which studies, the prior under its own identity.
  const header = page.locator('.hang-workspace > [data-safety-header]');
  await expect(header.locator('[data-safety="name"]')).toHaveText('Halvorsen, Ingrid Marie');
  await expect(header.locator('[data-safety="id"]')).toHaveText('ID NBC-448812');
  await expect(header.locator('[data-safety="birth-date"]')).toHaveText('Born 1968-03-22');
  await expect(header.locator('[data-safety="sex"]')).toHaveText('Sex female');
  await expect(header.locator('[data-safety="current"]')).toHaveText(`Current 2026-10-14 · ${current?.facility}`);
  await expect(header.locator('[data-safety="prior"]')).toHaveText(`Prior 2025-09-30 · ${prior?.facility} · under ID LV0091734`);
  // The current row is labelled as the prior row is.
  await expect(page.locator('.hang-cell.current [data-current-tag]')).toHaveText(Array.from({ length: 4 }, () => 'Current 2026-10-14'));
  await expect(page.locator('.hang-cell.prior [data-prior-tag]')).toHaveCount(4);

  // The key opens the pane (R is the rectangle tool; T is the pane's key), the button closes and opens it.
  await page.keyboard.press('t');
  await expect(pane(page)).toBeVisible();
  await expect(page.locator('[data-report-toggle]')).toHaveAttribute('aria-pressed', 'true');
  await page.locator('[data-report-toggle]').click();
  await expect(pane(page)).toHaveCount(0);
  const report = await openReport(page);
  await expect(report.locator('[data-safety-header] [data-safety="id"]')).toHaveText('ID NBC-448812');
  await waitForStage(page);

  // Beside, not over: the stage ends where the pane begins, and the pane fits the window.
  const paneBox = await report.boundingBox();
  const gridBox = await page.locator('.hang-grid').boundingBox();
  expect(paneBox && gridBox).toBeTruthy();
  expect((gridBox?.x ?? 0) + (gridBox?.width ?? 0)).toBeLessThanOrEqual((paneBox?.x ?? 0) + 1);
  expect((paneBox?.x ?? 0) + (paneBox?.width ?? 0)).toBeLessThanOrEqual(1600 + 1);
  await page.screenshot({ path: `${SHOTS}/hanging-report-pane.png` });

  // Every image drawn whole inside its canvas (nothing clipped), at its own aspect, and large enough to read.
  const slots = await page.locator('.hang-grid [data-viewport]').evaluateAll((elements) => elements.map((element) => (element as HTMLElement).dataset.viewport ?? ''));
  for (const slot of slots) {
    const viewport = viewportOf(page, slot);
    const label = await readLabel(viewport);
    const file = manifest.files.find((f) => f.sopInstanceUid === label.sopInstanceUid);
    expect(file, `${slot} shows a manifest image`).toBeDefined();
    const size = await canvasSize(viewport);
    const extent = drawnExtent(referenceOf(file as FixtureFile), label, size);
    expect(extent.left, `${slot} left edge`).toBeGreaterThanOrEqual(-1);
    expect(extent.top, `${slot} top edge`).toBeGreaterThanOrEqual(-1);
    expect(extent.right, `${slot} right edge`).toBeLessThanOrEqual(size.width + 1);
    expect(extent.bottom, `${slot} bottom edge`).toBeLessThanOrEqual(size.height + 1);
    const turned = label.rotation % 180 !== 0;
    const aspect = (file as FixtureFile).columns / (file as FixtureFile).rows;
    expect((extent.right - extent.left) / (extent.bottom - extent.top)).toBeCloseTo(turned ? 1 / aspect : aspect, 1);
    expect((extent.bottom - extent.top) / size.pixelRatio, `${slot} drawn height (CSS px)`).toBeGreaterThan(250);
  }
  // Markup in a facility name stays text in the header when the older prior is chosen.
  await leaveThePane(page);
  await page.keyboard.press('}');
  await expect(header.locator('[data-safety="prior"]')).toContainText('Prior 2024-10-08 · <img src=x onerror="document.title=1">Lakeview Annex');
  await expect(header.locator('img')).toHaveCount(0);
  expect(await page.title()).not.toBe('1');
  expect(errors).toEqual([]);
});

test('comparison and technique come from the hanging and follow the chosen prior; the narrative no longer says "None"', async ({ page }) => {
  await openHanging(page);
  const report = await openReport(page);
  await report.getByRole('tab', { name: 'Second opinion' }).click();
  const prior = manifest.studies.find((s) => s.key === 'prior-1y');
  const current = manifest.studies.find((s) => s.key === 'current');
  await expect(field(report, 'comparison')).toHaveValue(`Prior mammogram of 2025-09-30 from ${prior?.facility}, compared side by side.`);
  await expect(field(report, 'technique')).toHaveValue(`Bilateral digital mammography of 2026-10-14 from ${current?.facility}: RCC, LCC, RMLO, LMLO.`);
  await expect(field(report, 'priors-available')).toHaveValue('yes');
  await expect(field(report, 'narrative')).toHaveValue(/COMPARISON:\s*\nPrior mammogram of 2025-09-30/i);
  await expect(field(report, 'narrative')).not.toHaveValue(/COMPARISON:\s*\nNone/i);

  // Another prior hung: the comparison Concord wrote follows it; the header's text stays text there too.
  await leaveThePane(page);
  await page.keyboard.press('}');
  await expect(field(report, 'comparison')).toHaveValue('Prior mammogram of 2024-10-08 from <img src=x onerror="document.title=1">Lakeview Annex, compared side by side.');
  // What the reader types is kept when the prior changes again.
  await field(report, 'comparison').fill('Both Lakeview priors reviewed.');
  await leaveThePane(page);
  await page.keyboard.press('{');
  await expect(page.locator('.hang-workspace > [data-safety-header] [data-safety="prior"]')).toContainText('Prior 2025-09-30');
  await expect(field(report, 'comparison')).toHaveValue('Both Lakeview priors reviewed.');
  await expect(report.locator('.report-status')).toHaveText('Draft saved', { timeout: 15_000 });
  // The prefill is an edit like any other: saved, never mistaken for edits of an earlier session.
  await expect(report.locator('[data-recovered-draft]')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/hanging-report-prefilled.png` });
  const db = openIndex(library);
  const saved = db.prepare('SELECT content FROM reports WHERE study_instance_uid = ?').get(current?.studyInstanceUid) as { content: string };
  db.close();
  const content = JSON.parse(saved.content) as { secondOpinion: { comparison: string; priorStudyUids: string[] } };
  expect(content.secondOpinion.comparison).toBe('Both Lakeview priors reviewed.');
  expect(content.secondOpinion.priorStudyUids).toEqual([prior?.studyInstanceUid]);
});

test('a key image captured from a cell hung mirrored faces the way the screen does: chest wall at the seam, not where the file stores it', async ({ page }) => {
  // The one-year prior read as the current study (key images are the report's own study's images), the older prior beside it.
  await openHanging(page, 'prior-1y');
  const report = await openReport(page);
  await report.getByRole('tab', { name: 'Second opinion' }).click();
  // Lakeview stored this study's left MLO mirrored: its chest wall at the stored right edge.
  const mirrored = fileOf('prior-1y', 'L', 'MLO');
  expect(mirrored.chestWallSide).toBe('right');
  const slot = await hangingSlotShowing(page, mirrored.seriesInstanceUid);
  const viewport = viewportOf(page, slot);
  await expect(viewport).toHaveAttribute('data-study-role', 'current');
  await expect(viewport).toHaveAttribute('data-flip-h', 'true');
  await viewport.click();
  await report.getByLabel('Key image caption').fill('LMLO as hung');
  await report.getByRole('button', { name: 'Add key image' }).click();
  await expect(report.locator(`[data-key-image="${mirrored.sopInstanceUid}"]`)).toBeVisible();

  const db = openIndex(library);
  const row = db.prepare('SELECT png FROM report_key_images WHERE sop_instance_uid = ?').get(mirrored.sopInstanceUid) as { png: Buffer } | undefined;
  db.close();
  expect(row?.png).toBeTruthy();
  const png = (row as { png: Buffer }).png.toString('base64');
  // The stored PNG decoded in the page, beside the cell's canvas now.
  const compared = await viewport.evaluate(async (element, base64) => {
    const canvas = element.querySelector('canvas');
    const context = canvas?.getContext('2d');
    if (!canvas || !context) {
      throw new Error('no canvas');
    }
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const scratch = new OffscreenCanvas(bitmap.width, bitmap.height);
    const scratchContext = scratch.getContext('2d') as OffscreenCanvasRenderingContext2D;
    scratchContext.drawImage(bitmap, 0, 0);
    const captured = scratchContext.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const screen = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let difference = 0;
    const red: number[] = [];
    for (let i = 0; i < captured.length; i += 4) {
      difference += Math.abs((captured[i] as number) - (screen[i] as number));
      red.push(captured[i] as number);
    }
    return { width: bitmap.width, height: bitmap.height, canvasWidth: canvas.width, canvasHeight: canvas.height, meanDifference: difference / (captured.length / 4), red };
  }, png);
  expect([compared.width, compared.height]).toEqual([compared.canvasWidth, compared.canvasHeight]);
  expect(compared.meanDifference).toBeLessThan(1);

  // Where the chest wall is in the key image: tissue along the image's left edge, air along its right.
  const label = await readLabel(viewport);
  const size = await canvasSize(viewport);
  const extent = drawnExtent(referenceOf(mirrored), label, size);
  const bandMean = (from: number, to: number): number => {
    let sum = 0;
    let count = 0;
    for (let y = Math.ceil(extent.top + (extent.bottom - extent.top) * 0.1); y < Math.floor(extent.bottom - (extent.bottom - extent.top) * 0.1); y += 1) {
      for (let x = Math.ceil(from); x < Math.floor(to); x += 1) {
        sum += compared.red[y * compared.width + x] as number;
        count += 1;
      }
    }
    return sum / Math.max(1, count);
  };
  const band = (extent.right - extent.left) * 0.06;
  const leftBand = bandMean(extent.left + 1, extent.left + band);
  const rightBand = bandMean(extent.right - band, extent.right - 1);
  // Hung: a left breast's chest wall at the left edge (the seam). As stored it would be on the right.
  expect(leftBand).toBeGreaterThan(rightBand + 40);
  await page.screenshot({ path: `${SHOTS}/hanging-report-key-image.png` });
});

test('a click on a hung image starts a finding: side and view from the cell, clock face, depth and distance from the nipple proposed; no window drag', async ({ page }) => {
  await openHanging(page);
  const report = await openReport(page);
  await leaveThePane(page);
  await page.keyboard.press('n');
  await expect(page.locator('button[data-finding-mode]')).toHaveAttribute('aria-pressed', 'true');

  // The current right CC, stored as it hangs: a point lateral of the nipple line, 30 % of the depth from the chest wall.
  const rcc = fileOf('current', 'R', 'CC');
  const rccSlot = await hangingSlotShowing(page, rcc.seriesInstanceUid);
  const before = await viewportOf(page, rccSlot).getAttribute('data-window-center');
  const findings = report.locator('fieldset.finding');
  const already = await findings.count();
  await clickStoredPixel(page, rccSlot, rcc, storedPoint(rcc, 0.3, 0.2));
  await expect(findings).toHaveCount(already + 1);
  const finding = findings.last();
  await expect(finding.locator('[data-field="finding-side"]')).toHaveValue('R');
  await expect(finding.getByRole('list', { name: 'Linked images' })).toContainText(`CC (current 2026-10-14), started from a click`);
  await expect(finding.getByRole('list', { name: 'Linked images' })).toContainText(rcc.sopInstanceUid);
  // Right breast, lateral: 9 o'clock as the observer faces her; middle third of the depth.
  await expect(finding.locator('[data-field="finding-clock"]')).toHaveValue('9');
  await expect(finding.locator('[data-field="finding-depth"]')).toHaveValue('middle');
  // The distance from the nipple the fixture drew (the breast's tip at u = 0.72, v = 0.5), in the image's physical pixels.
  const mmPerPixel = (rcc.imagerPixelSpacingMm ?? 0) / (rcc.magnificationFactor ?? 1);
  const [nx, ny] = storedPoint(rcc, 0.72, 0.5);
  const [cx, cy] = storedPoint(rcc, 0.3, 0.2);
  const expectedCm = (Math.hypot(nx - cx, ny - cy) * mmPerPixel) / 10;
  const proposedCm = Number(await finding.locator('[data-field="finding-distance"]').inputValue());
  expect(Math.abs(proposedCm - expectedCm)).toBeLessThanOrEqual(0.5);
  await expect(page.locator('[data-finding-message]')).toContainText('confirm on the other view');
  // The click started a finding and did nothing else: the window is as it was.
  expect(await viewportOf(page, rccSlot).getAttribute('data-window-center')).toBe(before);

  // The prior's left MLO, hung mirrored: a point high towards the axilla is upper (12 o'clock), on the left.
  const lmlo = fileOf('prior-1y', 'L', 'MLO');
  const lmloSlot = await hangingSlotShowing(page, lmlo.seriesInstanceUid);
  await clickStoredPixel(page, lmloSlot, lmlo, storedPoint(lmlo, 0.3, 0.15));
  await expect(findings).toHaveCount(already + 2);
  const upper = findings.last();
  await expect(upper.locator('[data-field="finding-side"]')).toHaveValue('L');
  await expect(upper.locator('[data-field="finding-clock"]')).toHaveValue('12');
  await expect(upper.getByRole('list', { name: 'Linked images' })).toContainText('MLO (prior 2025-09-30), started from a click');
  await expect(report.locator('.report-status')).toHaveText('Draft saved', { timeout: 15_000 });
  await page.screenshot({ path: `${SHOTS}/hanging-report-finding.png` });

  // Off again: a click is the viewport's once more (no finding added).
  await page.locator('button[data-finding-mode]').click();
  await viewportOf(page, rccSlot).click();
  await expect(findings).toHaveCount(already + 2);
});

test('the series viewer and its report pane carry the same safety header: the prior opened alone names its own identity', async ({ page }) => {
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(host.openUrl);
  await linkIdentities(page);
  const prior = fileOf('prior-1y', 'R', 'CC');
  await page.goto(`${host.base}#/viewer/${prior.studyInstanceUid}`);
  const header = page.locator('.viewer-main > [data-safety-header]');
  await expect(header.locator('[data-safety="id"]')).toHaveText('ID LV0091734');
  // Shown alone, it is "Study", not "Current": it is not the newest study of this woman.
  await expect(header.locator('[data-safety="current"]')).toHaveText('Study 2025-09-30');
  await page.keyboard.press('t');
  await expect(pane(page).locator('[data-safety-header] [data-safety="name"]')).toHaveText('Halvorsen, Ingrid Marie');
  await expect(pane(page).locator('[data-safety-header] [data-safety="id"]')).toHaveText('ID LV0091734');
  await page.screenshot({ path: `${SHOTS}/viewer-safety-header.png` });
});
