import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { ImportSummary } from '../../shared/import/outcomes.ts';
import { SURVEY_FILE_LIMIT } from '../../shared/import/source-survey.ts';
import { concordJson } from '../support/cli.ts';
import { corpus, haveCorpus, haveTool } from '../support/environment.ts';
import { buildIdentityMedia } from '../support/identity-media.ts';
import type { OutsideMedium } from '../support/identity-media.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';
import { buildMedia } from '../support/media-builder.ts';
import { startServe } from '../support/serve.ts';
import type { RunningHost } from '../support/serve.ts';

// What the import page tells the clerk about what an import found: outside reports that open beside
// the images, instances already in the library (with when they came), a possible match with a known
// patient; "scanning…" while a source is counted; and a question before a folder that is not a medium.
const REPORTS = corpus('07-reports-sr-pdf');
const ZONE = 'Pacific/Auckland';
let host: RunningHost;
let home: string;
let earlier: ImportSummary;
let identities: { current: OutsideMedium; prior: OutsideMedium };

test.skip(!haveCorpus() || !haveTool('dcmodify', 'dcmtk'), 'needs the corpus and dcmtk');
// Far from UTC, so a time shown in UTC or as a raw ISO string cannot pass for local time.
test.use({ timezoneId: ZONE, locale: 'en-GB' });

test.beforeAll(async () => {
  const library = tempDir();
  earlier = concordJson<ImportSummary>(['import', REPORTS, '--library', library]);
  const media = buildIdentityMedia(tempDir());
  identities = media;
  concordJson(['import', media.prior.path, '--library', library]);
  // A home folder of its own, so "Import anyway" has little to read.
  home = tempDir();
  mkdirSync(join(home, 'Documents'));
  writeFileSync(join(home, 'Documents', 'notes.txt'), 'shopping list\n');
  host = await startServe(library, [], { HOME: home });
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

const findings = (page: Page) => page.getByRole('list', { name: 'What the import found' });

test('SR and PDF reports on a CD are announced as outside reports that open beside the images', async ({ page }) => {
  // The reports folder with new UIDs: new to the library.
  const media = join(tempDir(), 'REPORTSCD');
  buildMedia(REPORTS, media, 1, 'e2e-outside-reports');
  await startImport(page, media);
  await expect(page.locator('.job')).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
  await expect(findings(page).locator('[data-finding="outside-reports"]')).toHaveText('2 outside reports found: open beside the images');
  await expect(findings(page).locator('[data-finding="already-in-library"]')).toHaveCount(0);
  const reports = page.getByRole('table', { name: 'Outside reports found: they open beside the images' });
  await expect(reports.locator('tbody tr')).toHaveCount(2);
  await expect(reports.locator('tbody tr', { hasText: 'basic-text-sr' })).toContainText('outside report found: opens beside the images');
  await expect(reports.locator('tbody tr', { hasText: 'encapsulated-pdf' })).toContainText('outside report found: opens beside the images');
  // The dose reports and the TID 1500 measurement report are not outside reports: documents the viewer opens.
  const documents = page.getByRole('table', { name: 'Other documents: they open in the viewer' });
  await expect(documents.locator('tbody tr')).toHaveCount(5);
  await expect(documents.locator('tbody tr').first()).toContainText('imported; opens in the viewer as a document (structured report)');
  await expect(documents).not.toContainText('basic-text-sr');
  await expect(documents).not.toContainText('encapsulated-pdf');
  // Nothing on this CD is left undisplayed.
  await expect(page.getByRole('table', { name: 'Imported, not displayed by Concord' })).toHaveCount(0);
  await page.screenshot({ path: 'test-results/e2e/import-outside-reports.png', fullPage: true });

});

test('a re-imported CD says its instances are already in the library, with the earlier import in local time', async ({ page }) => {
  await startImport(page, REPORTS);
  const job = page.locator('.job');
  await expect(job).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
  const already = findings(page).locator('[data-finding="already-in-library"]');
  await expect(already).toHaveCount(1);
  await expect(already).toHaveAttribute('data-session', String(earlier.sessionId));
  // The earlier import's start, in the reader's zone: date and 24-hour time as en-GB writes them there.
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(earlier.startedAt))
      .map((part) => [part.type, part.value]),
  );
  const text = (await already.textContent()) ?? '';
  expect(text).toMatch(/^7 already in the library \(imported .+\)$/);
  expect(text).toContain(`${parts.day} ${parts.month} ${parts.year}`);
  expect(text).toContain(`${parts.hour}:${parts.minute}`);
  expect(text).not.toContain(earlier.startedAt.slice(0, 16));
  await expect(job.locator('[data-indexed]')).toHaveText('0 new in the library');
  // The outside reports are still announced as such.
  await expect(findings(page).locator('[data-finding="outside-reports"]')).toHaveText('2 outside reports found: open beside the images');
  await page.screenshot({ path: 'test-results/e2e/import-already-in-library.png', fullPage: true });
});

test('"scanning…" shows while the source is counted, and the form waits', async ({ page }) => {
  const media = join(tempDir(), 'SCANCD');
  buildMedia(REPORTS, media, 1, 'e2e-scanning');
  // Hold the request that scans the source until the page has been looked at.
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route('**/api/startImport', async (route) => {
    await held;
    await route.continue();
  });
  await startImport(page, media);
  const scanning = page.getByRole('status').filter({ hasText: 'Scanning…' });
  await expect(scanning).toHaveText(`Scanning… counting the files in ${media}`);
  await expect(page.getByRole('button', { name: 'Start import' })).toBeDisabled();
  await page.screenshot({ path: 'test-results/e2e/import-scanning.png' });
  release();
  await expect(page.locator('.job')).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
  await expect(scanning).toHaveCount(0);
});

test('a folder that is not a medium is asked about first; cancel imports nothing, "import anyway" does', async ({ page }) => {
  // Tens of thousands of files without a DICOMDIR (the pre-scan stops counting at its limit).
  const downloads = join(tempDir(), 'Downloads');
  mkdirSync(downloads);
  for (let i = 0; i < SURVEY_FILE_LIMIT; i += 1) {
    writeFileSync(join(downloads, `file-${i}.txt`), '');
  }
  await startImport(page, downloads);
  const question = page.getByRole('alertdialog', { name: 'Import this folder?' });
  await expect(question).toBeVisible();
  await expect(question.getByRole('listitem')).toHaveText(['it holds 10,000 files or more', 'it has no DICOMDIR']);
  await expect(question.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.screenshot({ path: 'test-results/e2e/import-not-a-medium-large.png' });
  await question.getByRole('button', { name: 'Cancel' }).click();
  await expect(question).toHaveCount(0);
  await expect(page.locator('.job')).toHaveCount(0);
  const jobs = (await page.request.post(`${host.base}api/listJobs`, { headers: { Authorization: `Bearer ${host.token}` }, data: {} }).then((r) => r.json())) as {
    jobs: { source: string }[];
  };
  expect(jobs.jobs.map((job) => job.source)).not.toContain(downloads);

  // The home folder: asked about even though it is small; Escape cancels too.
  await page.getByLabel('Folder, drive or file').fill(home);
  await page.getByRole('button', { name: 'Start import' }).click();
  await expect(question.getByRole('listitem')).toHaveText(['it is a home folder or a folder above one', 'it has no DICOMDIR']);
  await page.keyboard.press('Escape');
  await expect(question).toHaveCount(0);
  await expect(page.locator('.job')).toHaveCount(0);
  await page.getByRole('button', { name: 'Start import' }).click();
  await page.screenshot({ path: 'test-results/e2e/import-not-a-medium-home.png' });
  await question.getByRole('button', { name: 'Import anyway' }).click();
  await expect(page.locator('.job')).toHaveAttribute('data-status', 'no-dicom', { timeout: 60_000 });
  await expect(page.locator('.job .job-source')).toHaveText(home);
});

test('an import that made a link proposal says so, and "review" opens the proposal', async ({ page }) => {
  await startImport(page, identities.current.path);
  await expect(page.locator('.job')).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
  const match = findings(page).locator('[data-finding="possible-match"]');
  await expect(match).toHaveText('1 possible match with a patient in the library: review');
  await page.screenshot({ path: 'test-results/e2e/import-possible-match.png', fullPage: true });
  await match.getByRole('link', { name: 'review' }).click();
  await expect(page).toHaveURL(/#\/patient\/\d+$/);
  const proposal = page.locator('article.proposal');
  await expect(proposal).toHaveCount(1);
  await expect(proposal).toContainText(identities.current.patientId);
  await expect(proposal).toContainText(identities.prior.patientId);
});
