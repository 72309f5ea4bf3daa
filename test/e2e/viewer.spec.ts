/// <reference lib="dom" />
import { cpSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { concordJson } from '../support/cli.ts';
import { corpus, haveCorpus, havePydicomFiles, haveTool, pydicomTestFiles } from '../support/environment.ts';
import { cleanupTempDirs, openIndex, tempDir } from '../support/library.ts';
import { dcmtkRendering, referencePixels } from '../support/reference-pixels.ts';
import { startServe } from '../support/serve.ts';
import type { RunningHost } from '../support/serve.ts';

interface Row {
  sop: string;
  study: string;
  path: string;
  syntax: string;
  displayable: number;
  kind: string;
  frames: number;
  photometric: string;
  session: number;
  /** Folder imported / path inside it. */
  label: string;
}

/** Non-conformant samples the reference decoders refuse: rendered, not compared. */
const NO_REFERENCE = new Set(['pydicom-samples/JPEG2000-embedded-sequence-delimiter.dcm']);
const PYDICOM_SAMPLES = [
  'JPGExtended.dcm', 'MR_small_jpeg_ls_lossless.dcm', '693_J2KI.dcm', 'JPEG2000-embedded-sequence-delimiter.dcm',
  'SC_rgb_rle.dcm', 'image_dfl.dcm', 'ExplVR_BigEnd.dcm', 'SC_jpeg_no_color_transform.dcm',
];
const FOLDERS = ['01-mg-wg04-ddsm-film-lmlo', '03-breast-patient-cd-mr-us-mimbcd', '05-mr-enhanced-multiframe', '07-reports-sr-pdf', '08-transfer-syntaxes'];
const LOSSLESS = /^1\.2\.840\.10008\.1\.2(\.1|\.2|\.5|\.1\.99|\.4\.57|\.4\.70|\.4\.80|\.4\.90)?$/;

let host: RunningHost;
let library: string;
let work: string;
const sources = new Map<number, string>();
let rows: Row[] = [];

test.skip(!haveCorpus() || !havePydicomFiles() || !haveTool('dcmdjpeg', 'dcmtk') || !haveTool('gdcmconv', 'libgdcm-tools'), 'needs the corpus, pydicom files, dcmtk and gdcm');

test.beforeAll(async () => {
  library = tempDir();
  work = tempDir();
  for (const folder of FOLDERS) {
    const summary = concordJson<{ sessionId: number; source: string }>(['import', corpus(folder), '--library', library]);
    sources.set(summary.sessionId, summary.source);
  }
  const samples = join(work, 'pydicom-samples');
  mkdirSync(samples);
  for (const name of PYDICOM_SAMPLES) {
    cpSync(join(pydicomTestFiles, name), join(samples, name));
  }
  const summary = concordJson<{ sessionId: number; source: string }>(['import', samples, '--library', library]);
  sources.set(summary.sessionId, summary.source);
  const db = openIndex(library);
  rows = db
    .prepare(`SELECT i.sop_instance_uid AS sop, st.study_instance_uid AS study, i.source_path AS path, i.transfer_syntax_uid AS syntax,
        i.displayable, i.object_kind AS kind, i.number_of_frames AS frames, i.photometric_interpretation AS photometric,
        i.import_session_id AS session
      FROM instances i JOIN series se ON se.id = i.series_ref JOIN studies st ON st.id = se.study_ref ORDER BY i.source_path`)
    .all() as Row[];
  for (const row of rows) {
    row.label = `${basename(sources.get(row.session) as string)}/${row.path}`;
  }
  db.close();
  host = await startServe(library);
});

test.afterAll(async () => {
  await host.stop();
  cleanupTempDirs();
});

function sourceFile(row: Row): string {
  return join(sources.get(row.session) as string, row.path);
}

async function open(page: Page, row: Row): Promise<void> {
  await page.goto(`${host.base}#/viewer/${row.study}/${row.sop}`);
}

const viewport = (page: Page) => page.locator('[data-viewport="vp-0"]');

test('every displayable image of the corpus renders, every other object says why it is not shown', async ({ page }) => {
  await page.goto(host.openUrl);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // One image per series is enough to prove the series renders; the MRI is scrolled in its own test.
  const seen = new Set<string>();
  const chosen = rows.filter((row) => {
    const key = `${row.study}|${row.label.split('/').slice(0, -1).join('/')}|${row.syntax}|${row.displayable}|${row.photometric}`;
    const keep = !seen.has(key);
    seen.add(key);
    return keep;
  });
  expect(chosen.length).toBeGreaterThan(15);
  for (const row of chosen) {
    await open(page, row);
    if (row.displayable) {
      await expect(viewport(page), row.label).toHaveAttribute('data-rendered', 'true', { timeout: 30_000 });
      await expect(viewport(page)).toHaveAttribute('data-sop-instance-uid', row.sop);
      await expect(viewport(page)).not.toHaveAttribute('data-render-error', /.+/);
    } else {
      // Reports and PDFs open as documents; anything else says what it is (documents.spec.ts checks the content).
      await expect(page.locator(`[data-document-kind][data-sop-instance-uid="${row.sop}"]`), row.label).toBeVisible();
    }
  }
  expect(errors).toEqual([]);
});

test('decoded pixels match the reference decoders: identical when lossless, within 1 or 2 when lossy', async ({ page }) => {
  await page.goto(host.openUrl);
  const greyscale = rows.filter((row) => row.displayable && row.frames === 1 && /^MONOCHROME/.test(row.photometric) && !NO_REFERENCE.has(row.label));
  expect(greyscale.length).toBeGreaterThan(10);
  const results: string[] = [];
  // One MRI slice stands for its series; every other greyscale image is checked.
  for (const row of greyscale.filter((r) => !r.label.startsWith('03-') || r.label.endsWith('/IM1'))) {
    await open(page, row);
    await expect(viewport(page), row.label).toHaveAttribute('data-rendered', 'true', { timeout: 60_000 });
    const reference = referencePixels(sourceFile(row), work);
    const total = reference.rows * reference.columns;
    const stride = Math.max(1, Math.floor(total / 250_000));
    const ours = await page.evaluate(
      ([stride]) => (globalThis as unknown as { concordDiagnostics: { pixelSample(s: string, n: number): Promise<{ length: number; sample: number[]; scaled?: boolean }> } }).concordDiagnostics.pixelSample('vp-0', stride),
      [stride] as const,
    );
    expect(ours?.length, row.label).toBe(total);
    // The loader may hand out modality values (rescale applied); compare like with like.
    let maxAbs = 0;
    let sumAbs = 0;
    ours?.sample.forEach((value, index) => {
      const stored = reference.values[index * stride] as number;
      const modality = stored * reference.rescaleSlope + reference.rescaleIntercept;
      const d = Math.min(Math.abs(value - stored), Math.abs(value - modality));
        maxAbs = Math.max(maxAbs, d);
      sumAbs += d;
    });
    const meanAbs = sumAbs / (ours?.sample.length ?? 1);
    results.push(`${row.label} ${row.syntax}: max ${maxAbs} mean ${meanAbs.toFixed(3)}`);
    if (LOSSLESS.test(row.syntax)) {
      expect({ file: row.label, maxAbs }).toEqual({ file: row.label, maxAbs: 0 });
    } else {
      expect({ file: row.label, withinTolerance: maxAbs <= 2 && meanAbs < 0.5 }).toEqual({ file: row.label, withinTolerance: true });
    }
  }
  test.info().annotations.push({ type: 'pixels', description: results.join('\n') });
});

test('the rendered canvas matches dcmtk rendering of the same image and window', async ({ page }) => {
  await page.goto(host.openUrl);
  const cases: [string, number, number][] = [
    ['08-transfer-syntaxes/WG04_MR1_JPLL.dcm', 600, 1200],
    ['01-mg-wg04-ddsm-film-lmlo/MG1_JPLY.dcm', 2200, 2400],
  ];
  for (const [path, center, width] of cases) {
    const row = rows.find((r) => r.label === path) as Row;
    await open(page, row);
    await expect(viewport(page)).toHaveAttribute('data-rendered', 'true', { timeout: 60_000 });
    await page.evaluate(
      ([center, width]) => {
        const diagnostics = (globalThis as unknown as { concordDiagnostics: { setWindow(s: string, c: number, w: number): void; actualPixels(s: string): void } }).concordDiagnostics;
        diagnostics.setWindow('vp-0', center, width);
        diagnostics.actualPixels('vp-0');
      },
      [center, width] as const,
    );
    await page.waitForTimeout(500);
    const reference = dcmtkRendering(sourceFile(row), center, width, work);
    // Sample a grid of image pixels around the centre (what 1:1 shows of a large image).
    const points: [number, number][] = [];
    const cx = Math.floor(reference.columns / 2);
    const cy = Math.floor(reference.rows / 2);
    for (let dy = -160; dy <= 160; dy += 8) {
      for (let dx = -160; dx <= 160; dx += 8) {
        points.push([cx + dx, cy + dy]);
      }
    }
    const shown = await page.evaluate(
      ([points]) => (globalThis as unknown as { concordDiagnostics: { canvasAt(s: string, p: [number, number][]): number[] } }).concordDiagnostics.canvasAt('vp-0', points),
      [points] as const,
    );
    const diffs = points.map(([x, y], i) => Math.abs((shown[i] as number) - (reference.values[y * reference.columns + x] as number)));
    const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
    const sorted = [...diffs].sort((a, b) => a - b);
    const p95 = sorted[Math.floor(sorted.length * 0.95)] as number;
    await page.screenshot({ path: `test-results/e2e/canvas-${path.split('/').pop()}.png` });
    // Stated tolerance: mean under 2 grey levels, 95 % of pixels within 4 (interpolation at 1:1).
    expect({ path, mean: mean < 2, p95: p95 <= 4 }).toEqual({ path, mean: true, p95: true });
  }
});

test('the worklist opens the breast MRI with the keyboard; the viewer scrolls, flips and lists shortcuts', async ({ page }) => {
  await page.goto(host.openUrl);
  await page.getByRole('button', { name: 'Library' }).click();
  await page.getByLabel('Search').fill('ROTINA');
  const table = page.getByRole('table', { name: 'Library' });
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await table.focus();
  await page.keyboard.press('ArrowDown');
  // The selected study's series, each with its middle image as a thumbnail, beside the worklist.
  const tiles = page.locator('.priors-panel .series-tile');
  await expect(tiles).toHaveCount(1);
  await expect(tiles.locator('[data-thumbnail="ready"]')).toHaveCount(1, { timeout: 30_000 });
  await expect(tiles.first()).toContainText('144 instances');
  await page.screenshot({ path: 'test-results/e2e/worklist-series.png' });
  await page.keyboard.press('Enter');
  await expect(viewport(page)).toHaveAttribute('data-rendered', 'true', { timeout: 30_000 });
  // These runs use Chromium without a GPU (--disable-gpu): the viewer says images are drawn in software.
  const notice = page.getByRole('status').filter({ hasText: 'No GPU: software rendering' });
  await expect(notice).toBeVisible();
  await expect(notice).toHaveAttribute('title', /slower than on a GPU/);
  await page.getByRole('toolbar', { name: 'Viewer tools' }).screenshot({ path: 'test-results/e2e/viewer-toolbar.png' });
  const first = await viewport(page).getAttribute('data-sop-instance-uid');
  // The series list shows each series' middle image as a thumbnail.
  await expect(page.locator('.series-list [data-thumbnail="ready"]')).toHaveCount(1, { timeout: 30_000 });
  await expect(page.locator('.overlay .bottom-left')).toContainText('Im 1/144');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('.overlay .bottom-left')).toContainText('Im 3/144');
  await expect(viewport(page)).not.toHaveAttribute('data-sop-instance-uid', first as string);
  await expect(page.locator('.overlay .marker.right')).toHaveText('L');
  await page.keyboard.press('h');
  await expect(viewport(page)).toHaveAttribute('data-flip-h', 'true');
  await expect(page.locator('.overlay .marker.right')).toHaveText('R');
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText('Flip horizontal');
  await page.screenshot({ path: 'test-results/e2e/viewer-mri.png' });
});
