/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import dicomParser from 'dicom-parser';
import type { Locator, Page } from '@playwright/test';
import { concordJson } from '../support/cli.ts';
import { watchConsole } from '../support/browser-console.ts';
import { generateHangingFixtures } from '../support/hanging-fixtures.ts';
import type { HangingManifest } from '../support/hanging-fixtures.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';
import { referencePixels } from '../support/reference-pixels.ts';
import { checkScreen } from '../support/screen-oracle.ts';
import type { KnownImages } from '../support/screen-oracle.ts';
import { startServe } from '../support/serve.ts';
import type { RunningHost } from '../support/serve.ts';
import { pageApi, hangingSlotShowing } from '../support/page-api.ts';

/**
 * The hanging view with a cross-sectional protocol: the synthetic breast MRI (current and a prior
 * from another facility, linked). Each cell shows a whole series, and the stage's sync groups reach
 * the sync service from the hanging view: scrolling the current T2 moves the current series of the
 * same frame of reference, not the MIP.
 */
let host: RunningHost;
let manifest: HangingManifest;
let fixtures = '';

test.beforeAll(async () => {
  fixtures = tempDir();
  manifest = generateHangingFixtures({ out: fixtures, sets: ['mri'] });
  const library = tempDir();
  concordJson(['import', fixtures, '--library', library]);
  host = await startServe(library);
});

test.afterAll(async () => {
  await host?.stop();
  cleanupTempDirs();
});

const cell = (page: Page, slot: string): Locator => page.locator(`.hang-grid [data-slot="${slot}"]`);

function seriesOf(study: string, description: string): string {
  const file = manifest.files.find((f) => f.study === study && f.seriesDescription === description);
  if (!file) {
    throw new Error(`no ${description} in ${study}`);
  }
  return file.seriesInstanceUid;
}

test('the breast MRI hangs series per cell; the stage\'s sync groups reach the sync service: the current series follow the T2, the MIP does not', async ({ page }) => {
  const problems = watchConsole(page);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(host.openUrl);
  const { proposals } = await pageApi<{ proposals: { id: number }[] }>(page, 'listProposals', { propose: true });
  expect(proposals).toHaveLength(1);
  await pageApi(page, 'decideProposal', { proposalId: proposals[0]?.id, decision: 'accept' });
  const current = manifest.studies.find((s) => s.key === 'mr-current');
  await page.goto(`${host.base}#/hang/${current?.studyInstanceUid}`);
  await expect(page.locator('.hanging')).toHaveAttribute('data-protocol', 'mr-breast-comparison', { timeout: 30_000 });
  await expect(page.locator('.hanging')).toHaveAttribute('data-stage', '1');
  const viewports = page.locator('.hang-grid [data-viewport]');
  await expect(viewports).toHaveCount(6);
  for (const slot of await viewports.evaluateAll((elements) => elements.map((element) => (element as HTMLElement).dataset.slot ?? ''))) {
    await expect(cell(page, slot)).toHaveAttribute('data-rendered', 'true', { timeout: 30_000 });
    await expect(cell(page, slot)).toHaveAttribute('data-study-role', 'current');
  }
  const t2 = await hangingSlotShowing(page, seriesOf('mr-current', 't2_tse_tra'));
  const dcePre = await hangingSlotShowing(page, seriesOf('mr-current', 'Dyn_fl3d_tra_pre'));
  const mip = await hangingSlotShowing(page, seriesOf('mr-current', 'MIP_tra_SUB_post1'));
  await expect(cell(page, t2)).toHaveAttribute('data-image-index', /\d+/);
  const before = Number(await cell(page, dcePre).getAttribute('data-image-index'));
  const t2Before = Number(await cell(page, t2).getAttribute('data-image-index'));
  const box = await cell(page, t2).boundingBox();
  await page.mouse.move((box?.x ?? 0) + (box?.width ?? 0) / 2, (box?.y ?? 0) + (box?.height ?? 0) / 2);
  for (let notch = 0; notch < 6; notch += 1) {
    await page.mouse.wheel(0, 100);
  }
  await expect(cell(page, t2)).toHaveAttribute('data-image-index', String(t2Before + 6), { timeout: 10_000 });
  // Same frame of reference, same slice positions: the DCE series follows the T2 slice for slice.
  await expect(cell(page, dcePre)).toHaveAttribute('data-image-index', String(before + 6), { timeout: 10_000 });
  await expect(cell(page, mip)).toHaveAttribute('data-image-index', '0');
  await page.screenshot({ path: 'test-results/e2e/hanging-mri-overview.png' });

  // The next stage compares with the prior: its cells are tagged with the prior's date and facility.
  await page.keyboard.press(']');
  await expect(page.locator('.hanging')).toHaveAttribute('data-stage', '2');
  const prior = manifest.studies.find((s) => s.key === 'mr-prior');
  await expect(page.locator('.hang-cell.prior [data-prior-tag]').first()).toHaveText(`Prior 2025-10-15 · ${prior?.facility}`);
  await expect(page.locator(`.hang-grid [data-study-role="prior"][data-study-uid="${prior?.studyInstanceUid}"]`).first()).toHaveAttribute('data-rendered', 'true', { timeout: 30_000 });
  await page.screenshot({ path: 'test-results/e2e/hanging-mri-stage-2.png' });

  // A cell that kept its series (the MIP) in the new, larger grid cell is drawn exactly as its label
  // says: the canvases follow the grid, not only the window.
  const work = tempDir();
  const known: KnownImages = new Map();
  for (const file of manifest.files.filter((f) => f.study === 'mr-current' && /MIP|SUB/.test(f.seriesDescription))) {
    const path = join(fixtures, file.path);
    const header = dicomParser.parseDicom(readFileSync(path), { untilTag: 'x7fe00010' });
    const spacing = (header.string('x00280030') ?? '1\\1').split('\\').map(Number) as [number, number];
    known.set(file.sopInstanceUid, { reference: referencePixels(path, work), spacing });
  }
  for (const description of ['MIP_tra_SUB_post1']) {
    const slot = await hangingSlotShowing(page, seriesOf('mr-current', description));
    await expect(cell(page, slot)).toHaveAttribute('data-rendered', 'true', { timeout: 30_000 });
    const check = await checkScreen(page, cell(page, slot), known, 4, [{ zoom: 1.05 }]);
    console.log(`${description} in ${slot}: mean ${check.labelled.meanAbs.toFixed(2)}, p95 ${check.labelled.p95}; zoom +5 % p95 ${check.controls[0]?.comparison.p95}`);
    expect(check.labelled.meanAbs, description).toBeLessThan(2.5);
    expect(check.labelled.p95, description).toBeLessThanOrEqual(8);
    expect(check.controls[0]?.comparison.p95, `${description}: a 5 % larger zoom is told apart`).toBeGreaterThan(8);
  }
  expect(problems).toEqual([]);
});
