/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Download, Locator, Page } from '@playwright/test';
import { concordJson } from '../support/cli.ts';
import { corpus, haveCorpus, haveTool } from '../support/environment.ts';
import { cleanupTempDirs, openIndex, tempDir } from '../support/library.ts';
import { exampleReportPath } from '../support/report-example.ts';
import { startServe } from '../support/serve.ts';
import type { RunningHost } from '../support/serve.ts';

/**
 * Versioned exports in the report pane: a report signed and exported from the command line, then an
 * addendum signed in the pane. The earlier SR and PDF are marked superseded, the new ones say
 * "amended 1" (in the pane and in their Series Description), the SR lists both signatures with the
 * reading institution, and every download is named by patient, date and version.
 */

const MAMMOGRAM = join('01-mg-wg04-ddsm-film-lmlo', 'MG1_JPLY.dcm');
const SHOTS = 'test-results/e2e';
const INSTITUTION = 'Northside Breast Centre';

let host: RunningHost;
let library: string;
let study: string;
let reportId: number;

test.skip(!haveCorpus() || !haveTool('dcmdump', 'dcmtk') || !haveTool('pdftotext', 'poppler-utils'), 'needs the corpus, dcmtk and poppler');

test.beforeAll(async () => {
  library = tempDir();
  const media = tempDir();
  mkdirSync(join(media, 'mg'));
  copyFileSync(corpus(MAMMOGRAM), join(media, 'mg', 'MG1_JPLY.dcm'));
  concordJson(['import', join(media, 'mg'), '--library', library]);
  const db = openIndex(library);
  study = (db.prepare('SELECT study_instance_uid AS uid FROM studies').get() as { uid: string }).uid;
  db.close();
  concordJson(['readers', 'add', '--id', 'ada', '--name', 'Ada Second-Reader', '--credentials', 'MD', '--institution', INSTITUTION, '--library', library]);
  reportId = concordJson<{ id: number }>(['report', 'create', '--study', study, '--from', exampleReportPath, '--library', library]).id;
  concordJson(['report', 'sign', String(reportId), '--reader', 'ada', '--library', library]);
  const out = tempDir();
  concordJson(['report', 'export', String(reportId), '--sr', join(out, 'sr.dcm'), '--encapsulated-pdf', join(out, 'pdf.dcm'), '--library', library]);
  host = await startServe(library);
});

test.afterAll(async () => {
  await host.stop();
  cleanupTempDirs();
});

function field(scope: Locator, name: string): Locator {
  return scope.locator(`[data-field="${name}"]`);
}

/** The UTC dates the report and its addenda were signed, in signing order (as the library recorded them). */
function signingDates(): string[] {
  const db = openIndex(library);
  const rows = db.prepare('SELECT signed_at AS at FROM report_signatures WHERE report_ref = ? ORDER BY id').all(reportId) as { at: string }[];
  db.close();
  return rows.map((row) => row.at.slice(0, 10));
}

async function saved(download: Download): Promise<Buffer> {
  const file = join(tempDir(), download.suggestedFilename());
  await download.saveAs(file);
  return readFileSync(file);
}

function pdfText(bytes: Buffer): string {
  const file = join(tempDir(), 'saved.pdf');
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

async function openPane(page: Page): Promise<Locator> {
  await page.goto(host.openUrl);
  await page.goto(`${host.base}#/viewer/${study}`);
  const toggle = page.locator('[data-report-toggle]');
  await expect(toggle).toBeVisible();
  if ((await toggle.getAttribute('aria-pressed')) !== 'true') {
    await toggle.click();
  }
  const pane = page.getByRole('complementary', { name: 'Report', exact: true });
  await expect(pane).toBeVisible();
  await pane.getByRole('tab', { name: 'Concordance & sign' }).click();
  return pane;
}

test('after an addendum the earlier exports are marked superseded, the new ones say "amended 1", and downloads are named by patient, date and version', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const pane = await openPane(page);
  const list = pane.getByRole('list', { name: 'Exports in the library' });
  await expect(list.locator('li')).toHaveCount(2);
  await expect(list.locator('li[data-superseded="false"]')).toHaveCount(2);
  await expect(list.locator('li').first()).toContainText('version 1');
  await expect(list.locator('li').first()).toContainText('current');

  // The profile's reading institution, shown and editable where the profile is chosen.
  await pane.getByText('Add a signed addendum').click();
  await expect(field(pane, 'profile')).toHaveValue('ada');
  await pane.getByRole('button', { name: 'Edit profile…' }).click();
  await expect(field(pane, 'profile-institution')).toHaveValue(INSTITUTION);
  await field(pane, 'profile-credentials').fill('MD, PhD');
  await pane.getByRole('button', { name: 'Save the profile' }).click();
  await expect(pane.getByRole('button', { name: 'Edit profile…' })).toHaveAttribute('aria-expanded', 'false');
  const { profiles } = concordJson<{ profiles: { id: string; credentials: string; institution: string }[] }>(['readers', '--library', library]);
  expect(profiles).toEqual([expect.objectContaining({ id: 'ada', credentials: 'MD, PhD', institution: INSTITUTION })]);

  await field(pane, 'addendum').fill('Core biopsy: invasive ductal carcinoma.');
  await pane.getByRole('button', { name: 'Sign the addendum' }).click();
  await expect(pane.locator('.report-status')).toHaveText('Amended: read only');

  // The exports of version 1 no longer say everything that was signed.
  await expect(list.locator('li[data-superseded="true"]')).toHaveCount(2);
  await expect(list.locator('li').first()).toContainText('superseded by version 2');
  await expect(pane.locator('[data-exports-outdated]')).toContainText('version 2 (amended 1)');

  await pane.getByRole('button', { name: 'Write SR and PDF into the library' }).click();
  await expect(list.locator('li')).toHaveCount(4, { timeout: 30_000 });
  const current = list.locator('li[data-superseded="false"]');
  await expect(current).toHaveCount(2);
  await expect(current.first()).toContainText('version 2 (amended 1)');
  await expect(current.first()).toContainText('current');
  await expect(pane.locator('[data-exports-outdated]')).toHaveCount(0);
  // Newest first: the two current ones above the two superseded ones.
  await expect(list.locator('li').nth(0)).toHaveAttribute('data-superseded', 'false');
  await expect(list.locator('li').nth(1)).toHaveAttribute('data-superseded', 'false');
  await expect(list.locator('li').nth(2)).toHaveAttribute('data-superseded', 'true');
  await expect(list.locator('li').nth(3)).toHaveAttribute('data-superseded', 'true');
  await list.scrollIntoViewIfNeeded();
  await pane.getByRole('region', { name: 'Exports' }).screenshot({ path: `${SHOTS}/report-exports-versions.png` });

  const [signedOn, amendedOn] = signingDates();
  expect(amendedOn).toBeDefined();
  // The current PDF: named for version 2 and the day the addendum was signed; it says "amended 1".
  const [newest] = await Promise.all([page.waitForEvent('download'), list.locator('li[data-superseded="false"][data-export="encapsulated-pdf"]').getByRole('link', { name: 'save the PDF' }).click()]);
  expect(newest.suggestedFilename()).toBe(`COMPRESSEDSAMPLES_MG1-${amendedOn}-v2-second-opinion.pdf`);
  const newestText = pdfText(await saved(newest));
  expect(newestText).toContain('Second-opinion report (amended 1)');
  expect(newestText).toContain('Core biopsy: invasive ductal carcinoma.');
  // The superseded PDF keeps its own name and its own (version 1) content.
  const superseded = list.locator('li[data-superseded="true"][data-export="encapsulated-pdf"]');
  const [older] = await Promise.all([page.waitForEvent('download'), superseded.getByRole('link', { name: 'save the PDF' }).click()]);
  expect(older.suggestedFilename()).toBe(`COMPRESSEDSAMPLES_MG1-${signedOn}-v1-second-opinion.pdf`);
  expect(pdfText(await saved(older))).not.toContain('amended');
  const [text] = await Promise.all([page.waitForEvent('download'), pane.getByRole('button', { name: 'Save as text' }).click()]);
  expect(text.suggestedFilename()).toBe(`COMPRESSEDSAMPLES_MG1-${amendedOn}-v2-second-opinion.txt`);

  // The new SR in the library: its series says "amended 1"; both signatures verify it, with the reading institution.
  const srUid = (await list.locator('li[data-superseded="false"][data-export="sr"] .mono').textContent())?.trim() ?? '';
  const srBytes = await page.request.get(`${host.base}dicom/${srUid}`);
  expect(srBytes.ok()).toBe(true);
  const srFile = join(tempDir(), 'sr.dcm');
  writeFileSync(srFile, await srBytes.body());
  const dump = execFileSync('dcmdump', ['+U8', '-q', srFile], { encoding: 'utf8' });
  expect(dump).toContain('(0008,103e) LO [Concord second-opinion report (amended 1)]');
  expect([...dump.matchAll(/\(0040,a075\) PN \[([^\]]*)\]/g)].map((match) => match[1])).toEqual(['Ada Second-Reader', 'Ada Second-Reader']);
  expect([...dump.matchAll(/\(0040,a027\) LO \[([^\]]*)\]/g)].map((match) => match[1])).toEqual([INSTITUTION, INSTITUTION]);
  expect(errors).toEqual([]);
});
