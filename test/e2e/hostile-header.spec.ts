/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { concordJson } from '../support/cli.ts';
import { corpus, haveCorpus, haveTool } from '../support/environment.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';
import { startServe } from '../support/serve.ts';
import type { RunningHost } from '../support/serve.ts';

const HOSTILE_NAME = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>\u0007\u001b[31m${'Ω'.repeat(300)}`;
const HOSTILE_DESCRIPTION = '"><svg onload=window.__pwned=3>';
let host: RunningHost;

test.skip(!haveCorpus() || !haveTool('dcmodify', 'dcmtk'), 'needs the corpus and dcmtk');

test.beforeAll(async () => {
  const media = tempDir();
  const file = join(media, 'HOSTILE');
  cpSync(corpus('03-breast-patient-cd-mr-us-mimbcd', 'IMAGES', 'IM1'), file);
  execFileSync('dcmodify', [
    '-nb', '-i', '(0008,0005)=ISO_IR 192', '-i', `(0010,0010)=${HOSTILE_NAME}`, '-i', `(0008,1030)=${HOSTILE_DESCRIPTION}`,
    '-i', '(0020,000D)=1.2.826.0.1.3680043.99.1', '-i', '(0020,000E)=1.2.826.0.1.3680043.99.2', '-i', '(0008,0018)=1.2.826.0.1.3680043.99.3',
    file,
  ], { stdio: 'ignore' });
  const library = tempDir();
  concordJson(['import', media, '--library', library]);
  host = await startServe(library);
});

test.afterAll(async () => {
  await host.stop();
  cleanupTempDirs();
});

test('a hostile header is shown as plain text and executes nothing', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(host.openUrl);
  await page.getByRole('button', { name: 'Library' }).click();
  const row = page.getByRole('table', { name: 'Library' }).locator('tbody tr').first();
  // More "=" than a person name's three groups: not a name's structure, so shown whole, as text.
  await expect(row).toContainText('<img src=x onerror="window.__pwned=1">');
  await expect(row).toContainText('<script>window.__pwned=2</script>');
  await expect(row).toContainText(HOSTILE_DESCRIPTION);
  // Rendered as text: no element was made from the header.
  await expect(page.locator('main img, main script, main svg')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/e2e/hostile-worklist.png' });

  await page.goto(`${host.base}#/viewer/1.2.826.0.1.3680043.99.1`);
  await expect(page.locator('[data-viewport="vp-0"]')).toHaveAttribute('data-rendered', 'true', { timeout: 30_000 });
  const overlayName = page.locator('.overlay .top-left .strong');
  await expect(overlayName).toContainText('<script>window.__pwned=2</script>');
  await expect(page.locator('.overlay img, .overlay script, .overlay svg')).toHaveCount(0);
  // Very long text is clipped by the index and wrapped by the overlay, not allowed to run off.
  const box = await overlayName.boundingBox();
  const viewport = await page.locator('[data-viewport="vp-0"]').boundingBox();
  expect(box && viewport && box.width <= viewport.width * 0.5 + 1).toBe(true);
  await page.screenshot({ path: 'test-results/e2e/hostile-viewer.png' });

  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
});
