import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { corpus, haveCorpus } from '../support/environment.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';
import { buildMedia } from '../support/media-builder.ts';
import { startServe } from '../support/serve.ts';
import type { RunningHost } from '../support/serve.ts';

// What the import page says for each kind of source, and the library filling while an import runs.
let host: RunningHost;
let scratch: string;

test.beforeAll(async () => {
  scratch = tempDir();
  host = await startServe(tempDir());
});

test.afterAll(async () => {
  await host.stop();
  cleanupTempDirs();
});

async function startImport(page: Page, path: string): Promise<void> {
  await page.goto(host.openUrl);
  await page.getByLabel('Folder, drive or file').fill(path);
  await page.getByRole('button', { name: 'Start import' }).click();
}

/** The import form's message: its typed code and its text. */
async function expectRefusal(page: Page, code: string, text: string | RegExp): Promise<void> {
  const alert = page.locator('.source-picker [role="alert"]');
  await expect(alert).toHaveAttribute('data-error-code', code);
  await expect(alert).toHaveText(text);
  // Nothing started: no progress panel claims an import.
  await expect(page.locator('.job')).toHaveCount(0);
}

test('a path that does not exist is called that', async ({ page }) => {
  const missing = join(scratch, 'no-such-cd');
  await startImport(page, missing);
  await expectRefusal(page, 'source-not-found', `There is no file or folder at ${missing}: check the path (is the disc or drive mounted?)`);
  await page.screenshot({ path: 'test-results/e2e/import-message-not-found.png' });
  // Editing the path clears the message.
  await page.getByLabel('Folder, drive or file').fill(`${missing}2`);
  await expect(page.locator('.source-picker [role="alert"]')).toHaveCount(0);
});

test('a relative path is refused with the reason', async ({ page }) => {
  await startImport(page, 'cdrom/DICOM');
  await expectRefusal(
    page,
    'source-relative',
    '"cdrom/DICOM" is a relative path: type the full path, starting with /, or pick the folder with Browse',
  );
  await page.screenshot({ path: 'test-results/e2e/import-message-relative.png' });
});

test('a source that cannot be read is called unreadable, with why', async ({ page }) => {
  const pipe = join(scratch, 'pipe');
  expect(spawnSync('mkfifo', [pipe]).status).toBe(0);
  await startImport(page, pipe);
  await expectRefusal(page, 'source-unreadable', `${pipe} is a named pipe (FIFO): only a folder, a drive's mount point or a file can be imported`);
  await page.screenshot({ path: 'test-results/e2e/import-message-unreadable.png' });
});

/** Waits for the import to end and checks it ended as "No DICOM found", not as a green completion. */
async function expectNoDicom(page: Page, reason: string): Promise<void> {
  const job = page.locator('.job');
  await expect(job).toHaveAttribute('data-status', 'no-dicom', { timeout: 60_000 });
  await expect(job.getByRole('heading', { level: 2 })).toHaveText('No DICOM found');
  await expect(job.getByRole('status')).toHaveText(reason);
  const fill = job.locator('.progress-fill');
  const colours = await fill.evaluate((element) => ({
    fill: getComputedStyle(element).backgroundColor,
    ok: getComputedStyle(document.documentElement).getPropertyValue('--ok').trim(),
  }));
  expect(colours.ok).not.toBe('');
  expect(colours.fill).not.toBe(colours.ok);
  expect(colours.fill).toBe('rgb(224, 176, 74)'); // the warning colour (--warn), not the completed green
}

test('an empty folder ends as "No DICOM found", distinct from completed', async ({ page }) => {
  const empty = join(scratch, 'empty');
  mkdirSync(empty);
  await startImport(page, empty);
  await expectNoDicom(page, `No DICOM files were found in ${empty}: it holds no files`);
  await page.screenshot({ path: 'test-results/e2e/import-message-empty.png' });
});

test('a folder of other files ends as "No DICOM found" with how many were examined', async ({ page }) => {
  const folder = join(scratch, 'viewer-disc');
  mkdirSync(join(folder, 'bin'), { recursive: true });
  writeFileSync(join(folder, 'README.TXT'), 'Insert the disc and run the viewer.\n');
  writeFileSync(join(folder, 'AUTORUN.INF'), '[autorun]\nopen=bin\\viewer.exe\n');
  writeFileSync(join(folder, 'bin', 'viewer.exe'), Buffer.alloc(8192, 0x4d));
  await startImport(page, folder);
  await expectNoDicom(page, `No DICOM files were found in ${folder}: 3 files examined, none is DICOM`);
  await expect(page.getByRole('table', { name: 'Problems' }).locator('tbody tr')).toHaveCount(3);
  await page.screenshot({ path: 'test-results/e2e/import-message-no-dicom.png', fullPage: true });
});

test('the library count and list follow the index while an import runs', async ({ page }) => {
  test.skip(!haveCorpus(), 'needs the DICOM corpus');
  // Eight copies of the patient CD with new UIDs: 16 studies, committed batch by batch.
  const media = join(tempDir(), 'EIGHTCDS');
  buildMedia(corpus('03-breast-patient-cd-mr-us-mimbcd'), media, 8, 'e2e-library-count');
  await startImport(page, media);

  // Heading, rows and job state read in one go, so they describe the same moment.
  const read = (): Promise<{ status: string | null; heading: number; rows: number }> =>
    page.evaluate(() => {
      const heading = Array.from(document.querySelectorAll('h2')).find((h) => h.textContent?.startsWith('Studies in the library'));
      const table = document.querySelector('table[aria-label="Studies in the library"]');
      return {
        status: document.querySelector('.job')?.getAttribute('data-status') ?? null,
        heading: Number(/\((\d+)\)/.exec(heading?.textContent ?? '')?.[1] ?? -1),
        rows: table ? table.querySelectorAll('tbody tr').length : 0,
      };
    });
  let duringImport: { status: string | null; heading: number; rows: number } | null = null;
  for (let i = 0; i < 5000 && !duringImport; i += 1) {
    const now = await read();
    if (now.status === 'running' && now.heading > 0) {
      duringImport = now;
      await page.screenshot({ path: 'test-results/e2e/import-library-filling.png' });
    } else if (now.status !== null && now.status !== 'running') {
      break;
    }
  }
  // Studies were listed, and counted, before the import ended.
  expect(duringImport).not.toBeNull();
  expect(duringImport?.rows).toBe(duringImport?.heading);

  await expect(page.locator('.job')).toHaveAttribute('data-status', 'completed', { timeout: 120_000 });
  await expect(page.getByRole('heading', { name: 'Studies in the library (16)' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Studies in the library' }).locator('tbody tr')).toHaveCount(16);
  expect(duringImport?.heading).toBeLessThanOrEqual(16);
});
