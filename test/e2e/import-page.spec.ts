import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { concord, concordJson } from '../support/cli.ts';
import { corpus, haveCorpus } from '../support/environment.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';
import { buildMedia } from '../support/media-builder.ts';
import { startServe } from '../support/serve.ts';
import type { RunningHost } from '../support/serve.ts';

const CD = corpus('03-breast-patient-cd-mr-us-mimbcd');
let host: RunningHost;
let library: string;
let bigMedia: string;

test.skip(!haveCorpus(), 'needs the DICOM corpus');

test.beforeAll(async () => {
  library = tempDir();
  // Eight copies of the CD with new UIDs: an import long enough to cancel half-way.
  bigMedia = join(tempDir(), 'BIGCD');
  buildMedia(CD, bigMedia, 8, 'e2e-cancel');
  host = await startServe(library);
});

test.afterAll(async () => {
  await host.stop();
  cleanupTempDirs();
});

/** Reads the progress bar until the import ends; returns every value it showed. */
async function followProgress(page: Page, stopAt?: number): Promise<number[]> {
  const values: number[] = [];
  for (let i = 0; i < 2000; i += 1) {
    const value = Number(await page.getByRole('progressbar').getAttribute('aria-valuenow'));
    if (values.at(-1) !== value) {
      values.push(value);
    }
    const status = await page.locator('.job').getAttribute('data-status');
    if (status !== 'running' || (stopAt !== undefined && value >= stopAt)) {
      break;
    }
    await page.waitForTimeout(20);
  }
  return values;
}

test('imports the patient CD through the page: progress moves, studies appear', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));

  await page.goto(host.openUrl);
  // The token is traded for a cookie and leaves the address bar.
  await expect(page).toHaveURL(host.base);
  await expect(page.getByText('No studies yet.')).toBeVisible();

  await page.getByLabel('Folder, drive or file').fill(CD);
  await page.getByRole('button', { name: 'Start import' }).click();
  const values = await followProgress(page);
  await expect(page.locator('.job')).toHaveAttribute('data-status', 'completed');
  // The bar moved: it showed values between empty and full before it completed.
  expect(values.filter((v) => v > 0 && v < 100).length).toBeGreaterThanOrEqual(1);
  await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');

  await expect(page.locator('[data-outcome="imported"] dd')).toHaveText('145');
  await expect(page.locator('[data-outcome="media-directory"] dd')).toHaveText('1');
  await expect(page.locator('[data-outcome="not-dicom"] dd')).toHaveText('2');
  const problems = page.getByRole('table', { name: 'Problems' });
  await expect(problems.locator('tbody tr')).toHaveCount(2);
  await expect(problems).toContainText('MANIFEST.tsv');

  const studies = page.getByRole('table', { name: 'Studies in the library' }).locator('tbody tr');
  await expect(studies).toHaveCount(2);
  await expect(studies.filter({ hasText: 'MAMA ROTINA' })).toContainText('144');
  await expect(studies.first()).toContainText('Anonymized33');
  await page.screenshot({ path: 'test-results/e2e/import-completed.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('cancels a second import midway and leaves the library consistent', async ({ page }) => {
  await page.goto(host.openUrl);
  await page.getByLabel('Folder, drive or file').fill(bigMedia);
  await page.getByRole('button', { name: 'Start import' }).click();
  const before = await followProgress(page, 10);
  expect(before.filter((v) => v > 0 && v < 100).length).toBeGreaterThanOrEqual(1);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('.job')).toHaveAttribute('data-status', 'cancelled', { timeout: 30_000 });
  await expect(page.locator('.job .note')).toContainText(/cancelled after \d+ of \d+ files/);
  const imported = Number(await page.locator('[data-outcome="imported"] dd').textContent());
  expect(imported).toBeGreaterThan(0);
  expect(imported).toBeLessThan(8 * 145);
  await page.screenshot({ path: 'test-results/e2e/import-cancelled.png', fullPage: true });

  // The library holds exactly what was committed: every indexed file present with its hash, nothing else.
  const verify = concord(['verify', '--library', library, '--json']);
  expect(verify.status).toBe(0);
  expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, instancesChecked: 145 + imported, orphans: [], temporaries: [] });
  const listed = concordJson<{ studies: unknown[] }>(['studies', '--library', library]);
  await expect(page.getByRole('table', { name: 'Studies in the library' }).locator('tbody tr')).toHaveCount(listed.studies.length);

  // Running the cancelled import again completes it without duplicates.
  await page.getByRole('button', { name: 'Start import' }).click();
  await expect(page.locator('.job')).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
  await expect(page.locator('[data-outcome="already-present"] dd')).toHaveText(String(imported));
  await expect(page.locator('[data-outcome="imported"] dd')).toHaveText(String(8 * 145 - imported));
  const after = JSON.parse(concord(['verify', '--library', library, '--json']).stdout) as { ok: boolean; instancesChecked: number };
  expect(after).toMatchObject({ ok: true, instancesChecked: 9 * 145 });
});
