import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { concordJson } from '../support/cli.ts';
import { corpus, haveCorpus, haveTool } from '../support/environment.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';
import { startServe } from '../support/serve.ts';
import type { RunningHost } from '../support/serve.ts';

const IN_SERIES = '2.25.404040404040404040404';
const ALONE = '2.25.505050505050505050505';
let host: RunningHost;
let library: string;
let media: string;

test.skip(!haveCorpus() || !haveTool('dcmodify', 'dcmtk'), 'needs the corpus and dcmtk');

/** Copies of a CD image (never the corpus file) without study, or without study and series. */
test.beforeAll(async () => {
  media = tempDir();
  const copies: [string, string, string[]][] = [
    ['NOSTUDY', IN_SERIES, ['(0020,000D)']],
    ['NOTHING', ALONE, ['(0020,000D)', '(0020,000E)']],
  ];
  for (const [name, sop, erase] of copies) {
    const file = join(media, name);
    cpSync(corpus('03-breast-patient-cd-mr-us-mimbcd', 'IMAGES', 'IM10'), file);
    execFileSync('dcmodify', ['-nb', ...erase.flatMap((tag) => ['-ea', tag]), '-i', `(0008,0018)=${sop}`, file], { stdio: 'ignore' });
  }
  library = tempDir();
  concordJson(['import', corpus('03-breast-patient-cd-mr-us-mimbcd'), '--library', library]);
  host = await startServe(library);
});

test.afterAll(async () => {
  await host.stop();
  cleanupTempDirs();
});

test('unfiled instances: listed by the import, filed from the needs-attention list', async ({ page }) => {
  await page.goto(host.openUrl);
  await page.getByLabel('Folder, drive or file').fill(media);
  await page.getByRole('button', { name: 'Start import' }).click();
  await expect(page.locator('.job')).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
  await expect(page.locator('[data-outcome="unfiled"] dd')).toHaveText('2');
  const listed = page.locator('table[data-list="unfiled"] tbody tr');
  await expect(listed).toHaveCount(2);
  await expect(listed.filter({ hasText: 'NOTHING' })).toContainText('no Study Instance UID (0020,000D) and no Series Instance UID (0020,000E)');
  await page.screenshot({ path: 'test-results/e2e-unfiled/import-unfiled.png', fullPage: true });

  await page.getByRole('button', { name: 'Library' }).click();
  const studyRows = page.getByRole('table', { name: 'Library' }).locator('tbody tr');
  await expect(studyRows).toHaveCount(2);
  await page.screenshot({ path: 'test-results/e2e-unfiled/library-link.png' });
  await page.getByRole('button', { name: /Needs attention: 2 unfiled instances/ }).click();
  const items = page.getByRole('list', { name: 'Unfiled instances' }).locator('li.unfiled');
  await expect(items).toHaveCount(2);
  await page.screenshot({ path: 'test-results/e2e-unfiled/needs-attention.png', fullPage: true });

  // Its series is in the CD's MRI study: that study is the one offered; filing it there.
  const inSeries = page.locator(`li.unfiled[data-sop-instance-uid="${IN_SERIES}"]`);
  const options = inSeries.getByLabel('File into').locator('optgroup option');
  await expect(options).toHaveCount(1);
  await expect(options).toContainText('MR');
  const mriUid = await options.getAttribute('value');
  await inSeries.getByLabel('File into').selectOption(mriUid as string);
  await inSeries.getByRole('button', { name: 'File' }).click();
  await expect(page.getByRole('status').filter({ hasText: IN_SERIES })).toContainText(`into study ${mriUid}`);
  await expect(items).toHaveCount(1);

  // The other into a study by UID of its patient that its file does not contradict: refused when the
  // UID is unknown, then into a new study.
  const alone = page.locator(`li.unfiled[data-sop-instance-uid="${ALONE}"]`);
  await alone.getByLabel('File into').selectOption({ label: 'A study by its Study Instance UID…' });
  await alone.getByLabel('Study Instance UID').fill('1.2.3.4.5');
  await alone.getByRole('button', { name: 'File' }).click();
  await expect(alone.getByRole('alert')).toContainText('No study 1.2.3.4.5 in the library');
  await page.screenshot({ path: 'test-results/e2e-unfiled/refused.png', fullPage: true });
  await alone.getByLabel('File into').selectOption({ label: 'A new study (Concord makes its UIDs)' });
  await alone.getByRole('button', { name: 'File' }).click();
  await expect(page.getByRole('status').filter({ hasText: ALONE })).toContainText(/into a new study 2\.25\.\d+ \(UIDs made by Concord\)/);
  await expect(items).toHaveCount(0);
  await expect(page.getByText('Nothing needs attention')).toBeVisible();
  await page.screenshot({ path: 'test-results/e2e-unfiled/all-filed.png', fullPage: true });

  await page.getByRole('button', { name: 'Back to the library' }).click();
  await expect(studyRows).toHaveCount(3);
  await expect(page.getByRole('button', { name: /Needs attention/ })).toHaveCount(0);
  await expect(page.locator(`tr[data-study-uid="${mriUid}"]`)).toContainText('145');
  // The new study holds the one instance filed into it.
  await expect(page.locator('tr[data-study-uid^="2.25."]')).toHaveCount(1);

  const cli = concordJson<{ unfiled: unknown[] }>(['unfiled', '--library', library]);
  expect(cli.unfiled).toEqual([]);
  expect(concordJson<{ ok: boolean }>(['verify', '--library', library]).ok).toBe(true);
});
