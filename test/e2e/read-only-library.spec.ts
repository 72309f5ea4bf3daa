import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { concordJson } from '../support/cli.ts';
import { corpus, haveCorpus } from '../support/environment.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';
import { readOnlyRunner, spawnReadOnly } from '../support/read-only-library.ts';
import { startServe } from '../support/serve.ts';
import type { RunningHost } from '../support/serve.ts';

let library: string;
let host: RunningHost;

test.skip(!haveCorpus(), 'needs the corpus');

test.beforeAll(async () => {
  library = join(tempDir(), 'library');
  concordJson(['import', corpus('07-reports-sr-pdf'), '--library', library]);
  const runner = readOnlyRunner(library);
  host = await startServe(library, [], (args) => spawnReadOnly(runner, args));
});

test.afterAll(async () => {
  await host.stop();
  spawnSync('chmod', ['-R', 'u+w', library]);
  cleanupTempDirs();
});

test('a read-only library is shown for viewing under a banner that names it and says why', async ({ page }) => {
  await page.goto(host.openUrl);
  const banner = page.getByTestId('read-only-library');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText(`Read-only library: ${library}`);
  await expect(banner).toContainText(/read-only file system|may not be written by this user/);
  await expect(banner).toContainText('nothing can be saved');
  // The worklist is there as in any library.
  await expect(page.getByText('Studies in the library (7)')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('read-only-library.png') });
});
