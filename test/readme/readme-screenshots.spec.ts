import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { concord, concordJson } from '../support/cli.ts';
import { repoRoot } from '../support/environment.ts';
import { generateHangingFixtures } from '../support/hanging-fixtures.ts';
import type { FixtureFile } from '../support/hanging-fixtures.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';
import { exampleReportPath } from '../support/report-example.ts';
import { startServe } from '../support/serve.ts';
import type { RunningHost } from '../support/serve.ts';

// The README's walk, taken of the real app on the synthetic screening studies (no patient's data):
// take in a CD, link the patient, hang current against prior, report, sign and export.
const OUT = join(repoRoot, 'docs', 'readme');
let host: RunningHost;
let library: string;
let current: string;

test.afterAll(async () => {
  await host?.stop();
  cleanupTempDirs();
});

test('the README walk, in three screenshots', async ({ page }) => {
  test.setTimeout(300_000);
  const fixtures = tempDir();
  const manifest = generateHangingFixtures({ out: fixtures, sets: ['screening'] });
  const medium = (files: FixtureFile[], name: string): string => {
    const folder = join(tempDir(), name);
    for (const file of files) {
      mkdirSync(dirname(join(folder, 'DICOM', file.path)), { recursive: true });
      copyFileSync(join(fixtures, file.path), join(folder, 'DICOM', file.path));
    }
    return folder;
  };
  const mammograms = manifest.files.filter((f) => f.kind === 'mammogram');
  library = tempDir();
  // Last year's CD from the other facility is already in the library.
  concordJson(['import', medium(mammograms.filter((f) => f.study !== 'current'), 'LAKEVIEW-CD'), '--library', library]);
  current = manifest.studies.find((s) => s.key === 'current')?.studyInstanceUid as string;
  host = await startServe(library);
  await page.setViewportSize({ width: 1400, height: 820 });

  // 1. Take in the CD: the import page says what it found, and that the patient may be known.
  await page.goto(host.openUrl);
  await page.getByLabel('Folder, drive or file').fill(medium(mammograms.filter((f) => f.study === 'current'), 'NORTHSIDE-CD'));
  await page.getByRole('button', { name: 'Start import' }).click();
  const match = page.locator('[data-finding="possible-match"]');
  await expect(match).toHaveText('1 possible match with a patient in the library: review', { timeout: 60_000 });
  // From the progress panel down: the form above lists this machine's mounted volumes.
  const job = await page.locator('.job').boundingBox();
  const studies = await page.getByRole('table', { name: 'Studies in the library' }).boundingBox();
  if (!job || !studies) {
    throw new Error('the import page shows no progress panel or study list');
  }
  await page.screenshot({ path: join(OUT, 'import.png'), clip: { x: 0, y: job.y - 12, width: 1400, height: studies.y + studies.height - job.y + 36 } });

  // 2. Link the patient, then hang current against prior.
  await match.getByRole('link', { name: 'review' }).click();
  await page.locator('article.proposal').getByRole('button', { name: /Accept/ }).click();
  await expect(page.locator('article.proposal')).toHaveCount(0);
  await page.goto(`${host.base}#/hang/${current}`);
  const cells = page.locator('.hang-grid [data-slot][data-rendered="true"]');
  await expect(cells).toHaveCount(8, { timeout: 60_000 });
  await page.screenshot({ path: join(OUT, 'hanging.png') });

  // 3. Report, sign, export: the README's example report, signed, in the pane beside the images.
  concordJson(['readers', 'add', '--id', 'dr-reader', '--name', 'Dr. Rae Reader', '--credentials', 'MD', '--library', library]);
  const created = concord(['report', 'create', '--study', current, '--from', exampleReportPath, '--library', library]);
  expect(created.status).toBe(0);
  expect(concord(['report', 'sign', created.stdout.trim(), '--reader', 'dr-reader', '--library', library]).status).toBe(0);
  await page.goto(`${host.base}#/viewer/${current}`);
  const toggle = page.locator('[data-report-toggle]');
  await expect(toggle).toBeVisible();
  if ((await toggle.getAttribute('aria-pressed')) !== 'true') {
    await toggle.click();
  }
  const pane = page.getByRole('complementary', { name: 'Report', exact: true });
  await expect(pane.locator('[data-report-status="signed"]')).toBeVisible();
  await expect(page.locator('[data-viewport="vp-0"]')).toHaveAttribute('data-rendered', 'true', { timeout: 60_000 });
  await pane.getByRole('tab', { name: 'Concordance & sign' }).click();
  await page.screenshot({ path: join(OUT, 'report.png') });
});
