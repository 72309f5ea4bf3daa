/// <reference lib="dom" />
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { concordJson } from '../support/cli.ts';
import { corpus, haveCorpus } from '../support/environment.ts';
import { cleanupTempDirs, openIndex, tempDir } from '../support/library.ts';
import { pageApi } from '../support/page-api.ts';
import { startServe } from '../support/serve.ts';
import type { RunningHost } from '../support/serve.ts';

/**
 * Drafts that never stall: a typo in one field (a 5-digit year) is shown with its reason and kept as
 * typed, while everything else still saves and survives a reload; a decimal comma is a decimal point;
 * a clock face that contradicts the quadrant is warned about; signing lists every such value and is
 * refused, in the pane and by the server, until they are resolved; signing asks first, showing what
 * will be locked; leaving with unsaved text asks first. Times are the reader's local time.
 */

const MAMMOGRAM = join('01-mg-wg04-ddsm-film-lmlo', 'MG1_JPLY.dcm');
const SHOTS = 'test-results/e2e';
/** Far from UTC, so a time shown in UTC could not pass for local time. */
const TIME_ZONE = 'Pacific/Auckland';
const LOCALE = 'en-GB';

test.use({ locale: LOCALE, timezoneId: TIME_ZONE });
test.skip(!haveCorpus(), 'needs the corpus');

let host: RunningHost;
let library: string;

function studyOf(fileName: string): string {
  const db = openIndex(library);
  const row = db
    .prepare(`SELECT st.study_instance_uid AS study FROM instances i JOIN series se ON se.id = i.series_ref JOIN studies st ON st.id = se.study_ref
      WHERE i.source_path LIKE ?`)
    .get(`%${fileName}`) as { study: string } | undefined;
  db.close();
  if (!row) {
    throw new Error(`${fileName} was not imported`);
  }
  return row.study;
}

test.beforeAll(async () => {
  library = tempDir();
  const media = tempDir();
  mkdirSync(join(media, 'mg'));
  copyFileSync(corpus(MAMMOGRAM), join(media, 'mg', 'MG1_JPLY.dcm'));
  concordJson(['import', join(media, 'mg'), '--library', library]);
  concordJson(['import', corpus('07-reports-sr-pdf'), '--library', library]);
  host = await startServe(library);
});

test.afterAll(async () => {
  await host.stop();
  cleanupTempDirs();
});

async function openPane(page: Page, study: string): Promise<Locator> {
  await page.goto(`${host.base}#/viewer/${study}`);
  const toggle = page.locator('[data-report-toggle]');
  await expect(toggle).toBeVisible();
  if ((await toggle.getAttribute('aria-pressed')) !== 'true') {
    await toggle.click();
  }
  const pane = page.getByRole('complementary', { name: 'Report', exact: true });
  await expect(pane).toBeVisible();
  return pane;
}

function field(scope: Locator, name: string): Locator {
  return scope.locator(`[data-field="${name}"]`);
}

/** The note beside a field: its reason when invalid, its warning when it contradicts another. */
function noteOf(scope: Locator, name: string): Locator {
  return scope.locator('.field').filter({ has: scope.page().locator(`[data-field="${name}"]`) }).locator('[data-field-note]');
}

async function expectSaved(pane: Locator): Promise<void> {
  await expect(pane.locator('.report-status')).toHaveText('Draft saved', { timeout: 15_000 });
}

interface StoredReport {
  report: {
    id: number;
    status: string;
    signature: { signedAt: string } | null;
    content: {
      outside: { facility: string; reader: string; date: string; facts: { overall: string | null } };
      secondOpinion: { findings: { sizeMm: number | null; location: { clock: number | null; quadrant: string | null; distanceFromNippleCm: number | null } }[] };
      invalidEntries?: Record<string, string>;
    };
  };
  audit: { at: string }[];
}

/** Calls the API as the page does, and answers the status and the body whatever they are. */
async function rawApi(page: Page, method: string, body: unknown): Promise<{ status: number; text: string }> {
  return page.evaluate(
    async ([name, request]) => {
      const response = await fetch(`/api/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) });
      return { status: response.status, text: await response.text() };
    },
    [method, body] as const,
  );
}

test('a 5-digit year is kept with its reason while the rest of the draft saves and survives a reload; signing is refused with the list until resolved, then asks first', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const study = studyOf('MG1_JPLY.dcm');
  await page.goto(host.openUrl);
  let pane = await openPane(page, study);
  await pane.getByRole('button', { name: 'Start the report' }).click();
  await expect(pane.locator('[data-report-status="draft"]')).toBeVisible();

  // The typo first, then more fields: every later save still goes through.
  await field(pane, 'outside-facility').fill('Clinic North');
  await field(pane, 'outside-date').fill('20231-05-04');
  await expect(noteOf(pane, 'outside-date')).toHaveText('"20231-05-04": the year has 5 digits: expected 4');
  await expect(field(pane, 'outside-date')).toHaveAttribute('aria-invalid', 'true');
  await field(pane, 'outside-reader').fill('Dr. Outside');
  await field(pane, 'outside-overall').selectOption('2');
  await expectSaved(pane);
  await page.screenshot({ path: `${SHOTS}/report-invalid-date.png` });

  await pane.getByRole('tab', { name: 'Second opinion' }).click();
  await field(pane, 'clinical-question').fill('Second opinion on a right breast mass');
  await pane.getByRole('button', { name: 'Add finding, right' }).click();
  const finding = pane.locator('[data-finding="F1"]');
  // A decimal comma is a decimal point, not a value dropped.
  await field(finding, 'finding-size').fill('9,5');
  await expect(noteOf(finding, 'finding-size')).toHaveCount(0);
  await expect(field(pane, 'narrative')).toHaveValue(/9\.5 mm/);
  // Right breast, 10 o'clock is the upper OUTER quadrant: upper inner is warned about beside both fields.
  await field(finding, 'finding-clock').fill('10');
  await field(finding, 'finding-quadrant').selectOption('UIQ');
  const contradiction = "right breast at 10 o'clock is the upper outer quadrant, not the upper inner quadrant";
  await expect(noteOf(finding, 'finding-quadrant')).toHaveText(contradiction);
  await expect(noteOf(finding, 'finding-clock')).toHaveText(contradiction);
  await expect(noteOf(finding, 'finding-quadrant')).toHaveAttribute('data-field-note', 'warning');
  await field(finding, 'finding-distance').fill('four');
  await expect(noteOf(finding, 'finding-distance')).toHaveText('not a number: expected a number from 0 to 40 cm');
  await field(finding, 'finding-assessment').selectOption('4B');
  await field(pane, 'assessment-overall').selectOption('4B');
  await expectSaved(pane);
  await page.screenshot({ path: `${SHOTS}/report-invalid-fields.png` });

  // What the library holds: the valid values, the date empty, and the typed text kept beside.
  const { reports } = await pageApi<{ reports: { id: number }[] }>(page, 'listReports', { studyInstanceUid: study });
  const reportId = reports[0]?.id ?? 0;
  let stored = await pageApi<StoredReport>(page, 'getReport', { reportId });
  expect(stored.report.content.outside).toMatchObject({ facility: 'Clinic North', reader: 'Dr. Outside', date: '', facts: { overall: '2' } });
  expect(stored.report.content.secondOpinion.findings[0]).toMatchObject({ sizeMm: 9.5, location: { clock: 10, quadrant: 'UIQ', distanceFromNippleCm: null } });
  expect(stored.report.content.invalidEntries).toEqual({ 'outside.date': '20231-05-04', 'secondOpinion.findings.F1.distanceFromNippleCm': 'four' });

  // After a reload: every valid field is there, the invalid ones shown as typed with their reason.
  await page.reload();
  pane = await openPane(page, study);
  await pane.getByRole('tab', { name: 'Outside report' }).click();
  await expect(field(pane, 'outside-facility')).toHaveValue('Clinic North');
  await expect(field(pane, 'outside-reader')).toHaveValue('Dr. Outside');
  await expect(field(pane, 'outside-overall')).toHaveValue('2');
  await expect(field(pane, 'outside-date')).toHaveValue('20231-05-04');
  await expect(noteOf(pane, 'outside-date')).toHaveText('"20231-05-04": the year has 5 digits: expected 4');
  await expect(pane.locator('[data-recovered-draft]')).toHaveCount(0);
  await pane.getByRole('tab', { name: 'Second opinion' }).click();
  await expect(field(pane, 'clinical-question')).toHaveValue('Second opinion on a right breast mass');
  const reloaded = pane.locator('[data-finding="F1"]');
  await expect(field(reloaded, 'finding-size')).toHaveValue('9.5');
  await expect(field(reloaded, 'finding-distance')).toHaveValue('four');
  await expect(noteOf(reloaded, 'finding-distance')).toHaveText('not a number: expected a number from 0 to 40 cm');
  await expect(noteOf(reloaded, 'finding-quadrant')).toHaveText(contradiction);

  // Signing lists every invalid or contradictory value and is refused, in the pane and by the server.
  await pane.getByRole('tab', { name: 'Concordance & sign' }).click();
  await field(pane, 'confirmed-verdict').selectOption('major');
  await pane.getByRole('button', { name: 'New profile…' }).click();
  await field(pane, 'profile-name').fill('Ada Second-Reader');
  await field(pane, 'profile-credentials').fill('MD');
  await pane.getByRole('button', { name: 'Save the profile' }).click();
  await expect(field(pane, 'profile')).toHaveValue('ada-second-reader');
  const blockers = [
    'outside report: date "20231-05-04": the year has 5 digits: expected 4',
    'finding F1: distance from the nipple (cm) "four": not a number: expected a number from 0 to 40 cm',
    `finding F1: location "right, 10 o'clock, upper inner quadrant": ${contradiction}`,
  ];
  await expect(pane.locator('[data-sign-blockers] li')).toHaveText(blockers);
  await expect(pane.getByRole('button', { name: 'Sign and lock the report' })).toBeDisabled();
  await expectSaved(pane);
  await page.screenshot({ path: `${SHOTS}/report-sign-refused.png` });
  const refused = await rawApi(page, 'signReport', { reportId, profileId: 'ada-second-reader' });
  expect(refused.status).toBe(409);
  const refusal = (JSON.parse(refused.text) as { error: { message: string } }).error.message;
  expect(refusal).toBe(`report ${reportId} cannot be signed yet: ${blockers.join('; ')}`);

  // Resolved one by one, the list empties.
  await pane.getByRole('tab', { name: 'Outside report' }).click();
  await field(pane, 'outside-date').fill('2023-05-04');
  await expect(noteOf(pane, 'outside-date')).toHaveCount(0);
  await pane.getByRole('tab', { name: 'Second opinion' }).click();
  await field(reloaded, 'finding-distance').fill('4,5');
  await field(reloaded, 'finding-quadrant').selectOption('UOQ');
  await expect(reloaded.locator('[data-field-note]')).toHaveCount(0);
  await pane.getByRole('tab', { name: 'Concordance & sign' }).click();
  await expect(pane.locator('[data-sign-blockers]')).toHaveCount(0);
  await expectSaved(pane);
  stored = await pageApi<StoredReport>(page, 'getReport', { reportId });
  expect(stored.report.content.outside.date).toBe('20230504');
  expect(stored.report.content.secondOpinion.findings[0]?.location).toMatchObject({ distanceFromNippleCm: 4.5, quadrant: 'UOQ' });
  expect(stored.report.content.invalidEntries).toEqual({});

  // Signing asks first, showing who signs, the verdict and the text that will be locked.
  await pane.getByRole('button', { name: 'Sign and lock the report' }).click();
  const confirmation = page.getByRole('dialog', { name: 'Sign and lock this report?' });
  await expect(confirmation).toBeVisible();
  await expect(confirmation).toContainText('Signed by Ada Second-Reader, MD');
  await expect(confirmation.locator('[data-confirm-verdict]')).toHaveText('Major discordance');
  await expect(confirmation).toContainText('Clinic North, Dr. Outside, 2023-05-04 · BI-RADS 2');
  await expect(confirmation.locator('[data-sign-preview]')).toContainText("Right breast at 10 o'clock, upper outer quadrant, 4.5 cm from the nipple: mass, measuring 9.5 mm");
  await page.screenshot({ path: `${SHOTS}/report-sign-confirmation.png` });
  await confirmation.getByRole('button', { name: 'Go back' }).click();
  await expect(confirmation).toHaveCount(0);
  await expect(pane.locator('[data-report-status="draft"]')).toBeVisible();
  await pane.getByRole('button', { name: 'Sign and lock the report' }).click();
  await confirmation.getByRole('button', { name: 'Sign and lock', exact: true }).click();
  await expect(pane.locator('.report-status')).toHaveText('Signed: read only');

  // Times in the reader's local time (here far from UTC), never the stored ISO strings.
  stored = await pageApi<StoredReport>(page, 'getReport', { reportId });
  const local = (iso: string): string => new Date(iso).toLocaleString(LOCALE, { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE });
  const signedAt = stored.report.signature?.signedAt ?? '';
  await expect(pane.locator('[data-signature]')).toContainText(`on ${local(signedAt)}`);
  await expect(pane.locator('[data-signature]')).not.toContainText(signedAt.slice(0, 16));
  await pane.getByText(/^Audit trail/).click();
  const auditTimes = await pane.locator('.audit li time').allTextContents();
  expect(auditTimes.length).toBeGreaterThan(0);
  expect(auditTimes.every((text) => !/\d{4}-\d{2}-\d{2}T/.test(text))).toBe(true);
  const storedTimes = new Set(stored.audit.map((event) => local(event.at)));
  expect(auditTimes.filter((text) => !storedTimes.has(text))).toEqual([]);

  // Everything saved: leaving asks nothing.
  await page.getByRole('button', { name: '← Library' }).click();
  await expect(page.locator(`tr[data-study-uid="${study}"]`)).toBeVisible();
  expect(dialogs).toEqual([]);
});

test('leaving with unsaved text asks first: a route change within the app is undone when the reader stays, and closing the window asks too', async ({ page }) => {
  const study = studyOf('rdsr_MG-RDSR-Hologic_mix.dcm');
  await page.goto(host.openUrl);
  const pane = await openPane(page, study);
  await pane.getByRole('button', { name: 'Start the report' }).click();
  await field(pane, 'outside-facility').fill('Saved clinic');
  await expectSaved(pane);

  // The library cannot be reached: what is typed now stays unsaved.
  await page.route('**/api/saveDraft', (route) => route.abort('connectionrefused'));
  await field(pane, 'outside-facility').fill('Typed, not saved');
  await expect(pane.locator('.report-status')).toHaveText('Not saved', { timeout: 15_000 });

  const asked: { type: string; message: string }[] = [];
  page.once('dialog', (dialog) => {
    asked.push({ type: dialog.type(), message: dialog.message() });
    void dialog.dismiss();
  });
  await page.getByRole('button', { name: '← Library' }).click();
  await expect.poll(() => asked.length).toBe(1);
  expect(asked[0]?.type).toBe('confirm');
  expect(asked[0]?.message).toContain('The report draft could not be saved');
  expect(asked[0]?.message).toContain('Leave anyway?');
  // The reader stayed: the same study, the typed text still there.
  expect(new URL(page.url()).hash).toBe(`#/viewer/${study}`);
  await expect(field(pane, 'outside-facility')).toHaveValue('Typed, not saved');

  // Closing or reloading the window asks as well (the browser's own question).
  page.once('dialog', (dialog) => {
    asked.push({ type: dialog.type(), message: dialog.message() });
    void dialog.dismiss();
  });
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => asked.length).toBe(2);
  expect(asked[1]?.type).toBe('beforeunload');
  expect(page.isClosed()).toBe(false);
  await expect(field(pane, 'outside-facility')).toHaveValue('Typed, not saved');

  // Leaving once the reader agrees: the app goes to the library.
  page.once('dialog', (dialog) => {
    asked.push({ type: dialog.type(), message: dialog.message() });
    void dialog.accept();
  });
  await page.getByRole('button', { name: '← Library' }).click();
  await expect(page.locator(`tr[data-study-uid="${study}"]`)).toBeVisible();
  expect(asked).toHaveLength(3);
});
