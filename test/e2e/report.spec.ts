/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { concordJson } from '../support/cli.ts';
import { dsrdumpItems } from '../support/dsrdump.ts';
import { corpus, haveCorpus, haveTool } from '../support/environment.ts';
import { cleanupTempDirs, openIndex, tempDir } from '../support/library.ts';
import { startServe } from '../support/serve.ts';
import type { RunningHost } from '../support/serve.ts';

/**
 * The reporting pane end to end on the browser host: a mammogram from the corpus, the outside report
 * and a BI-RADS second opinion typed and clicked in, the verdict proposed and confirmed, signed with
 * a reader profile made in place, exported as SR and Encapsulated PDF, and found again in the library
 * and the overview. Then the corpus's outside report documents opened in the pane.
 */

const MAMMOGRAM = join('01-mg-wg04-ddsm-film-lmlo', 'MG1_JPLY.dcm');
const REPORTS = '07-reports-sr-pdf';
const SHOTS = 'test-results/e2e';

let host: RunningHost;
let library: string;

interface StoredInstance {
  sop: string;
  study: string;
  name: string;
  modality: string;
}

function instances(): StoredInstance[] {
  const db = openIndex(library);
  const rows = db
    .prepare(`SELECT i.sop_instance_uid AS sop, st.study_instance_uid AS study, i.source_path AS name, se.modality AS modality
      FROM instances i JOIN series se ON se.id = i.series_ref JOIN studies st ON st.id = se.study_ref`)
    .all() as StoredInstance[];
  db.close();
  return rows.map((row) => ({ ...row, name: row.name.split('/').pop() ?? '' }));
}

function byName(name: string): StoredInstance {
  const row = instances().find((candidate) => candidate.name === name);
  if (!row) {
    throw new Error(`${name} was not imported`);
  }
  return row;
}

test.skip(!haveCorpus() || !haveTool('dsrdump', 'dcmtk') || !haveTool('dcmodify', 'dcmtk'), 'needs the corpus and dcmtk');

test.beforeAll(async () => {
  library = tempDir();
  const media = tempDir();
  mkdirSync(join(media, 'mg'));
  copyFileSync(corpus(MAMMOGRAM), join(media, 'mg', 'MG1_JPLY.dcm'));
  concordJson(['import', join(media, 'mg'), '--library', library]);
  // The same Secondary Capture as a scanned outside report: its own study, "report" in its description.
  mkdirSync(join(media, 'scan'));
  const scan = join(media, 'scan', 'scan.dcm');
  copyFileSync(corpus(MAMMOGRAM), scan);
  execFileSync('dcmodify', ['-nb', '-gst', '-gse', '-gin', '-i', '(0008,103E)=Outside report scan', scan]);
  concordJson(['import', join(media, 'scan'), '--library', library]);
  concordJson(['import', corpus(REPORTS), '--library', library]);
  host = await startServe(library);
});

test.afterAll(async () => {
  await host.stop();
  cleanupTempDirs();
});

/** Console errors and page errors, CSP refusals included: the pane must cause none. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy|Refused to/.test(message.text())) {
      errors.push(message.text());
    }
  });
  return errors;
}

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

/** Waits until the draft's last edit is saved (the status line says so). */
async function expectSaved(pane: Locator): Promise<void> {
  await expect(pane.locator('.report-status')).toHaveText('Draft saved', { timeout: 15_000 });
}

test('a mammogram: outside report and BI-RADS second opinion through the pane, verdict confirmed, signed, exported and found in the library', async ({ page }) => {
  const errors = watchErrors(page);
  const mammogram = byName('MG1_JPLY.dcm');
  await page.goto(host.openUrl);
  const pane = await openPane(page, mammogram.study);
  await expect(page.locator('[data-viewport="vp-0"]')).toHaveAttribute('data-rendered', 'true', { timeout: 60_000 });

  await expect(pane.getByText('No second-opinion report for this study yet.')).toBeVisible();
  await expect(field(pane, 'new-template')).toHaveValue('birads-mammography');
  await pane.getByRole('button', { name: 'Start the report' }).click();
  await expect(pane.locator('[data-report-status="draft"]')).toBeVisible();

  // The outside report's key facts, typed and chosen.
  await pane.getByRole('tab', { name: 'Outside report' }).click();
  await field(pane, 'outside-facility').fill('Hospital <b>Norte</b>');
  await field(pane, 'outside-reader').fill('Dr. Outside');
  await field(pane, 'outside-date').fill('2004-08-30');
  await field(pane, 'outside-overall').selectOption('2');
  await field(pane, 'outside-left').selectOption('2');
  await field(pane, 'outside-right').selectOption('1');
  await field(pane, 'outside-composition').selectOption('b');
  await pane.getByRole('button', { name: 'No findings described' }).click();
  await field(pane, 'outside-recommendation').fill('Routine screening in one year.');
  await field(pane, 'outside-priors').selectOption('no');
  await expectSaved(pane);

  // The second opinion: a spiculated mass in the left breast, only the mass's descriptors offered.
  await pane.getByRole('tab', { name: 'Second opinion' }).click();
  await field(pane, 'composition').selectOption('c');
  await field(pane, 'priors-available').selectOption('no');
  await pane.getByRole('button', { name: 'Add finding, left' }).click();
  const finding = pane.locator('[data-finding="F1"]');
  await expect(finding).toBeVisible();
  await expect(field(finding, 'descriptor-shape')).toBeVisible();
  await expect(field(finding, 'descriptor-margin')).toBeVisible();
  await expect(field(finding, 'descriptor-morphology')).toHaveCount(0);
  await expect(field(finding, 'finding-kinetics-initial')).toHaveCount(0);
  await field(finding, 'descriptor-shape').selectOption('irregular');
  await field(finding, 'descriptor-margin').selectOption('spiculated');
  await field(finding, 'finding-clock').fill('2');
  await field(finding, 'finding-quadrant').selectOption('UOQ');
  await field(finding, 'finding-distance').fill('6');
  await field(finding, 'finding-size').fill('14');
  await field(finding, 'finding-assessment').selectOption('4C');
  await expect(finding.locator('legend')).toContainText('irregular mass with spiculated margins');
  await field(pane, 'assessment-right').selectOption('1');
  await field(pane, 'assessment-left').selectOption('4C');
  await field(pane, 'assessment-overall').selectOption('4C');
  await pane.getByRole('button', { name: /Use the category's management: Tissue diagnosis/ }).click();
  await expect(field(pane, 'recommendation')).toHaveValue('Tissue diagnosis');
  const narrative = field(pane, 'narrative');
  await expect(narrative).toHaveValue(/irregular mass with spiculated margins/);
  await expect(narrative).toHaveValue(/BI-RADS 4C/);

  // Edited by hand, the narrative stops following the entries until regenerated.
  await narrative.fill('FINDINGS:\nA spiculated mass, typed by the reader.');
  await expect(pane.getByText('edited by hand: no longer generated')).toBeVisible();
  await field(finding, 'finding-size').fill('15');
  await expect(narrative).toHaveValue('FINDINGS:\nA spiculated mass, typed by the reader.');
  await pane.getByRole('button', { name: /Regenerate from the entries/ }).click();
  await expect(narrative).toHaveValue(/15 mm/);

  // A key image from the viewport beside the pane.
  await pane.getByRole('textbox', { name: 'Key image caption' }).fill('Left MLO, the mass');
  await pane.getByRole('button', { name: 'Add key image' }).click();
  await expect(pane.locator(`[data-key-image="${mammogram.sop}"]`)).toContainText('Left MLO, the mass');

  // A length measured on the image, linked to the finding.
  await page.getByRole('toolbar', { name: 'Viewer tools' }).getByRole('button', { name: 'Length', exact: true }).click();
  const box = await page.locator('[data-viewport="vp-0"]').boundingBox();
  expect(box).not.toBeNull();
  const centre = { x: (box?.x ?? 0) + (box?.width ?? 0) / 2, y: (box?.y ?? 0) + (box?.height ?? 0) / 2 };
  await page.mouse.move(centre.x - 40, centre.y - 40);
  await page.mouse.down();
  await page.mouse.move(centre.x + 40, centre.y + 20, { steps: 5 });
  await page.mouse.up();
  await expect(page.locator('.cell svg [data-annotation-uid]').first()).toBeAttached({ timeout: 10_000 });
  await finding.getByRole('button', { name: 'Link a measurement on the active image…' }).click();
  const measurement = finding.locator('.annotation-linker button', { hasText: 'Length' });
  await expect(measurement).toHaveCount(1);
  await measurement.click();
  await expect(finding.getByRole('list', { name: 'Linked images' })).toContainText('Length for finding F1');
  await expect(finding.getByRole('list', { name: 'Linked images' })).toContainText(mammogram.sop);
  await expectSaved(pane);
  await page.screenshot({ path: `${SHOTS}/report-pane-second-opinion.png` });

  // Concordance: the server's rules, confirmed by the reader, RADPEER, communication documented.
  await pane.getByRole('tab', { name: 'Concordance & sign' }).click();
  await expect(pane.locator('[data-proposed-verdict]')).toHaveAttribute('data-proposed-verdict', 'major');
  await expect(pane.locator('[data-rule="biopsy-threshold"]')).toContainText('outside 2, second opinion 4C');
  await expect(pane.locator('[data-rule="new-suspicious-finding"]')).toBeVisible();
  await expect(pane.locator('[data-rule="dense-threshold"]')).toBeVisible();
  await expect(pane.getByRole('button', { name: 'Sign and lock the report' })).toBeDisabled();
  await pane.getByRole('button', { name: 'Confirm: Major discordance' }).click();
  await expect(pane.locator('[data-confirmed-verdict]')).toHaveAttribute('data-confirmed-verdict', 'major');
  await expect(pane.locator('[data-outstanding]')).toBeVisible();
  await field(pane, 'radpeer').selectOption('2b');
  await field(pane, 'concordance-reason').fill('Spiculated mass at 2 o\'clock not described outside');
  // Keys typed in the pane are not taken for the viewer's shortcuts (i inverts, h flips, v flips).
  await field(pane, 'concordance-reason').pressSequentially(' in this view.');
  await expect(field(pane, 'concordance-reason')).toHaveValue('Spiculated mass at 2 o\'clock not described outside in this view.');
  await expect(page.locator('[data-viewport="vp-0"]')).toHaveAttribute('data-invert', 'false');
  await expect(page.locator('[data-viewport="vp-0"]')).toHaveAttribute('data-flip-h', 'false');
  await expect(page.locator('[data-viewport="vp-0"]')).toHaveAttribute('data-flip-v', 'false');
  await expectSaved(pane);
  await page.screenshot({ path: `${SHOTS}/report-pane-concordance.png` });
  await field(pane, 'communication-to').fill('Dr. Referrer');
  await field(pane, 'communication-by').fill('Dr. Second');
  await pane.getByRole('button', { name: 'Record the communication' }).click();
  await expect(pane.locator('[data-communication]')).toContainText('phone to Dr. Referrer');
  await expect(pane.locator('[data-outstanding]')).toHaveCount(0);

  // A reader profile made in place, then signing locks the report.
  await pane.getByRole('button', { name: 'New profile…' }).click();
  await field(pane, 'profile-name').fill('Ada Second-Reader');
  await field(pane, 'profile-credentials').fill('MD');
  await field(pane, 'profile-signature').fill('Breast imaging, Concord clinic');
  await pane.getByRole('button', { name: 'Save the profile' }).click();
  await expect(field(pane, 'profile')).toHaveValue('ada-second-reader');
  await pane.getByRole('button', { name: 'Sign and lock the report' }).click();
  await page.getByRole('dialog', { name: 'Sign and lock this report?' }).getByRole('button', { name: 'Sign and lock', exact: true }).click();
  await expect(pane.locator('.report-status')).toHaveText('Signed: read only');
  await expect(pane.locator('[data-signature]')).toContainText('Ada Second-Reader, MD');
  await expect(field(pane, 'confirmed-verdict')).toBeDisabled();
  await pane.getByRole('tab', { name: 'Outside report' }).click();
  await expect(field(pane, 'outside-facility')).toBeDisabled();
  // Header and user text are text: the typed markup is shown, not interpreted.
  await expect(field(pane, 'outside-facility')).toHaveValue('Hospital <b>Norte</b>');
  await pane.getByRole('tab', { name: 'Concordance & sign' }).click();

  // Exports into the library.
  await pane.getByRole('button', { name: 'Write SR and PDF into the library' }).click();
  const srLink = pane.locator('[data-export="sr"]');
  const pdfLink = pane.locator('[data-export="encapsulated-pdf"]');
  await expect(srLink).toBeVisible({ timeout: 30_000 });
  await expect(pdfLink).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/report-pane-signed.png` });
  const pdfHref = await pdfLink.getByRole('link', { name: 'save the PDF' }).getAttribute('href');
  const pdf = await page.request.get(pdfHref ?? '');
  expect(pdf.ok()).toBe(true);
  expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

  await expect(pane.locator('[data-audit="signed"]')).toContainText('ada-second-reader');
  await expect(pane.locator('[data-audit="exported"]').first()).toContainText('ada-second-reader');

  // Closing the loop: the biopsy's result for the finding, and a signed addendum.
  await field(pane, 'outcome-finding').selectOption('F1');
  await field(pane, 'outcome-result').selectOption('malignant');
  await field(pane, 'outcome-date').fill('2026-10-02');
  await pane.getByRole('button', { name: 'Record the outcome' }).click();
  await expect(pane.locator('[data-outcome="F1"]')).toContainText('supports the second opinion');
  await pane.getByText('Add a signed addendum').click();
  await field(pane, 'addendum').fill('Core biopsy on 2026-10-02: invasive ductal carcinoma.');
  await pane.getByRole('button', { name: 'Sign the addendum' }).click();
  await expect(pane.locator('.report-status')).toHaveText('Amended: read only');
  await expect(pane.locator('[data-addendum]')).toContainText('invasive ductal carcinoma');
  await expect(pane.locator('[data-addendum]')).toContainText('Signed by Ada Second-Reader');

  // The text for pasting into another system: the patient, the verdict, both assessments, the addendum.
  const [download] = await Promise.all([page.waitForEvent('download'), pane.getByRole('button', { name: 'Save as text' }).click()]);
  const textFile = join(tempDir(), 'report.txt');
  await download.saveAs(textFile);
  const pasted = readFileSync(textFile, 'utf8');
  expect(pasted).toContain('Patient: CompressedSamples, MG1, ID 3MG1');
  expect(pasted).toContain('CONCORDANCE VERDICT: Major discordance\n');
  expect(pasted).toContain('Outside assessment: BI-RADS 2 - Benign (right BI-RADS 1, left BI-RADS 2)');
  expect(pasted).toContain('Second-opinion assessment: BI-RADS 4C');
  expect(pasted).toContain('invasive ductal carcinoma');

  const stored = instances().filter((row) => row.study === mammogram.study);
  expect(stored.map((row) => row.modality).sort()).toEqual(['DOC', 'RG', 'SR']);
  // The SR the library serves reads back in dcmtk with the second opinion's assessment.
  const srSop = stored.find((row) => row.modality === 'SR')?.sop ?? '';
  await expect(srLink).toContainText(srSop);
  const srBytes = await page.request.get(`${host.base}dicom/${srSop}`);
  expect(srBytes.ok()).toBe(true);
  const srFile = join(tempDir(), 'report-sr.dcm');
  writeFileSync(srFile, await srBytes.body());
  const srText = dsrdumpItems(srFile)
    .map((item) => `${item.concept} = ${item.value}`)
    .join('\n');
  expect(srText).toContain('Person Observer Name = "Ada Second-Reader"');
  expect(srText).toMatch(/Assessment Category = \(MA\.II\.A\.5\.4C,/);
  expect(srText).toContain('Concordance with outside report = (major,');
  expect(srText).toContain('read by Dr. Outside');

  // The worklist shows signed + the verdict; the study's series list shows the SR and the PDF.
  await page.getByRole('button', { name: '← Library' }).click();
  const row = page.locator(`tr[data-study-uid="${mammogram.study}"]`);
  await expect(row.locator('td[data-column="reportStatus"]')).toHaveText('amended · major');
  await expect(row.locator('td[data-column="reportStatus"]')).toHaveAttribute('data-verdict', 'major');
  const other = page.locator(`tr[data-study-uid="${byName('rdsr_MG-RDSR-Hologic_2D.dcm').study}"]`);
  await expect(other.locator('td[data-column="reportStatus"]')).toHaveText('unread');
  await page.screenshot({ path: `${SHOTS}/report-worklist.png` });
  await row.dblclick();
  await expect(page.locator('.series-list .series')).toHaveCount(3);
  await expect(page.locator('.series-list')).toContainText('SR');
  await expect(page.locator('.series-list')).toContainText('DOC');

  // The overview counts it.
  await page.getByRole('button', { name: '← Library' }).click();
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Concordance' }).click();
  await expect(page.locator('[data-verdict-count="major"]')).toContainText('1 (100.0 %)');
  await expect(page.locator('[data-cell="2|4C"]')).toHaveText('1');
  await expect(page.getByRole('img', { name: 'Verdict rates by month' })).toBeVisible();
  await expect(page.locator('[data-support="second-opinion"]')).toContainText('the second opinion: 1');
  await expect(page.locator('[data-support="outside"]')).toContainText('the outside reading: 0');
  await page.screenshot({ path: `${SHOTS}/concordance-overview.png`, fullPage: true });
  expect(errors).toEqual([]);
});

for (const [name, kind] of [
  ['basic-text-sr_osirix-annotations_IM0.dcm', 'structured-report'],
  ['encapsulated-pdf_orthanc-sample-pdf.dcm', 'pdf'],
] as const) {
  test(`the corpus's ${name} opens as the outside report in the pane`, async ({ page }) => {
    const errors = watchErrors(page);
    const document = byName(name);
    await page.goto(host.openUrl);
    const pane = await openPane(page, document.study);
    const choice = pane.locator(`[data-outside-document="${document.sop}"]`);
    await expect(choice).toBeVisible();
    await expect(choice).toHaveAttribute('aria-selected', 'true');
    const shown = pane.locator(`[data-document-kind="${kind}"]`);
    await expect(shown).toHaveAttribute('data-sop-instance-uid', document.sop, { timeout: 30_000 });
    if (kind === 'pdf') {
      await expect(shown).toHaveAttribute('data-document-ready', 'true', { timeout: 30_000 });
    } else {
      await expect(shown).toContainText(/\S/);
    }
    await pane.getByRole('button', { name: 'Start the report' }).click();
    await pane.getByRole('button', { name: 'Link the open document as the source of these facts' }).click();
    await expect(pane.getByText(`Source document: ${document.sop}`)).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/report-pane-outside-${kind}.png` });
    if (kind === 'structured-report') {
      // The MR study's report on the breast MRI template: MRI kinds, their descriptors and kinetics, no 4A-4C.
      await pane.getByRole('tab', { name: 'Second opinion' }).click();
      await field(pane, 'template').selectOption('birads-breast-mri');
      await expect(field(pane, 'background-enhancement')).toBeVisible();
      await expect(field(pane, 'composition')).toHaveCount(0);
      await pane.getByRole('button', { name: 'Add finding, right' }).click();
      const finding = pane.locator('[data-finding="F1"]');
      await field(finding, 'finding-kind').selectOption('non-mass-enhancement');
      await expect(field(finding, 'descriptor-distribution')).toBeVisible();
      await expect(field(finding, 'descriptor-internalPattern')).toBeVisible();
      await expect(field(finding, 'descriptor-shape')).toHaveCount(0);
      await expect(field(finding, 'finding-kinetics-delayed')).toBeVisible();
      await expect(field(finding, 'finding-assessment').locator('option[value="4A"]')).toHaveCount(0);
      await field(finding, 'descriptor-distribution').selectOption('segmental');
      await field(finding, 'finding-kinetics-delayed').selectOption('washout');
      await expect(field(pane, 'narrative')).toHaveValue(/non-mass enhancement in a segmental distribution. Kinetics: washout/);
      // The general MRI template: findings by region, no BI-RADS lexicon.
      await field(pane, 'template').selectOption('general-mri');
      await expect(pane.getByRole('button', { name: 'Add finding, right' })).toHaveCount(0);
      await pane.getByRole('button', { name: 'Add region' }).click();
      await field(pane, 'region-name').fill('Liver');
      await field(pane, 'region-text').fill('No focal lesion.');
      await expect(field(pane, 'narrative')).toHaveValue(/Liver/);
      await expectSaved(pane);
    }
    expect(errors).toEqual([]);
  });
}

test('a scanned report page (a Secondary Capture described as a report) is drawn in the pane', async ({ page }) => {
  const errors = watchErrors(page);
  const scan = byName('scan.dcm');
  await page.goto(host.openUrl);
  const pane = await openPane(page, scan.study);
  const choice = pane.locator(`[data-outside-document="${scan.sop}"]`);
  await expect(choice).toHaveAttribute('aria-selected', 'true');
  await expect(choice).toContainText('Outside report scan');
  const drawn = pane.locator(`[data-scanned-page][data-sop-instance-uid="${scan.sop}"]`);
  await expect(drawn).toHaveAttribute('data-scanned-page', 'ready', { timeout: 60_000 });
  // Something was drawn: the canvas is not one flat colour.
  const distinct = await drawn.locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
    const seen = new Set<number>();
    for (let index = 0; index < data.length; index += 4 * 97) {
      seen.add(data[index] ?? 0);
    }
    return seen.size;
  });
  expect(distinct).toBeGreaterThan(20);
  await page.screenshot({ path: `${SHOTS}/report-pane-outside-scanned.png` });
  expect(errors).toEqual([]);
});

/** Calls the host's API from the page, as a second window or another client would. */
async function callApi<T>(page: Page, method: string, request: unknown): Promise<T> {
  return page.evaluate(
    async ([name, body]) => {
      const response = await fetch(`/api/${name}`, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      return (await response.json()) as unknown;
    },
    [method, request] as const,
  ) as Promise<T>;
}

interface ReportAnswer {
  report: { id: number; revision: number; content: { outside: { facility: string } } & Record<string, unknown> };
}

test('a draft saved elsewhere meanwhile: the conflict is shown, the typed text stays, and keeping it saves it over the other', async ({ page }) => {
  const errors = watchErrors(page);
  const study = byName('rdsr_CT-RDSR-Siemens_Flash-TAP-SS.dcm').study;
  await page.goto(host.openUrl);
  let pane = await openPane(page, study);
  // The pane widens when its edge is dragged to the left; the viewer keeps the rest.
  const narrow = await pane.boundingBox();
  const edge = await pane.getByRole('separator', { name: 'Resize the report pane' }).boundingBox();
  expect(narrow && edge).toBeTruthy();
  const grip = (edge?.x ?? 0) + 3;
  await page.mouse.move(grip, (edge?.y ?? 0) + 200);
  await page.mouse.down();
  await page.mouse.move(grip - 100, (edge?.y ?? 0) + 200, { steps: 4 });
  await page.mouse.up();
  const wide = await pane.boundingBox();
  expect(Math.round((wide?.width ?? 0) - (narrow?.width ?? 0))).toBe(100);
  expect(Math.round((wide?.x ?? 0) + (wide?.width ?? 0))).toBe(Math.round((narrow?.x ?? 0) + (narrow?.width ?? 0)));
  await pane.getByRole('button', { name: 'Start the report' }).click();
  await field(pane, 'outside-facility').fill('Mine, first');
  await expectSaved(pane);

  // The draft survives a reload of the page.
  await page.reload();
  pane = await openPane(page, study);
  await expect(field(pane, 'outside-facility')).toHaveValue('Mine, first');

  // Another client saves the draft first.
  const { reports } = await callApi<{ reports: { id: number }[] }>(page, 'listReports', { studyInstanceUid: study });
  const reportId = reports[0]?.id ?? 0;
  const before = await callApi<ReportAnswer>(page, 'getReport', { reportId });
  const theirs = { ...before.report.content, outside: { ...before.report.content.outside, facility: 'Theirs' } };
  const saved = await callApi<{ revision: number }>(page, 'saveDraft', { reportId, revision: before.report.revision, content: theirs });
  expect(saved.revision).toBe(before.report.revision + 1);

  await field(pane, 'outside-facility').fill('Mine, second');
  const banner = pane.locator('[data-save-conflict]');
  await expect(banner).toBeVisible({ timeout: 15_000 });
  await expect(banner).toContainText('changed elsewhere');
  await expect(pane.locator('.report-status')).toHaveText('Not saved: changed elsewhere');
  await expect(field(pane, 'outside-facility')).toHaveValue('Mine, second');
  await page.screenshot({ path: `${SHOTS}/report-pane-conflict.png` });

  await banner.getByRole('button', { name: /Keep my version/ }).click();
  await expectSaved(pane);
  await expect(banner).toHaveCount(0);
  const after = await callApi<ReportAnswer>(page, 'getReport', { reportId });
  expect(after.report.content.outside.facility).toBe('Mine, second');
  expect(after.report.revision).toBe(saved.revision + 1);
  expect(errors.filter((error) => !/409|Conflict/i.test(error))).toEqual([]);
});

test('the host killed while a draft is being edited: after a restart the draft is there as last saved, and edits it never received are offered back', async ({ page }) => {
  const study = byName('rdsr_DX-RDSR-Carestream_DRXEvolution.dcm').study;
  await page.goto(host.openUrl);
  let pane = await openPane(page, study);
  await pane.getByRole('button', { name: 'Start the report' }).click();
  await field(pane, 'outside-facility').fill('Clinic before the crash');
  await field(pane, 'outside-overall').selectOption('3');
  await pane.getByRole('tab', { name: 'Second opinion' }).click();
  await field(pane, 'clinical-question').fill('Palpable lump, left breast');
  await field(pane, 'assessment-overall').selectOption('4B');
  await expectSaved(pane);

  // No shutdown: the process is killed outright, as a crash or a power cut would end it.
  host.child.kill('SIGKILL');
  await once(host.child, 'exit');
  host = await startServe(library);
  await page.goto(host.openUrl);
  pane = await openPane(page, study);
  await pane.getByRole('tab', { name: 'Outside report' }).click();
  await expect(field(pane, 'outside-facility')).toHaveValue('Clinic before the crash');
  await expect(field(pane, 'outside-overall')).toHaveValue('3');
  await pane.getByRole('tab', { name: 'Second opinion' }).click();
  await expect(field(pane, 'clinical-question')).toHaveValue('Palpable lump, left breast');
  await expect(field(pane, 'assessment-overall')).toHaveValue('4B');
  await expect(pane.locator('.report-status')).toHaveText('Draft saved');
  await expect(pane.locator('[data-report-status="draft"]')).toBeVisible();

  // Edits the host never received (it is unreachable) are kept by the browser and offered back in
  // the next window that opens the report. (The first stays open: a window being closed may still
  // get its last save through, which would leave nothing to offer.)
  await page.context().route('**/api/saveDraft', (route) => route.abort('connectionrefused'));
  await field(pane, 'clinical-question').fill('Palpable lump, left breast, 2 cm');
  await expect(pane.locator('.report-status')).toHaveText('Not saved', { timeout: 15_000 });
  await expect(pane.getByRole('alert').filter({ hasText: 'could not be saved' })).toContainText('Your text is still here');
  const next = await page.context().newPage();
  pane = await openPane(next, study);
  await pane.getByRole('tab', { name: 'Second opinion' }).click();
  await expect(field(pane, 'clinical-question')).toHaveValue('Palpable lump, left breast');
  const recovered = pane.locator('[data-recovered-draft]');
  await expect(recovered).toBeVisible();
  await page.context().unroute('**/api/saveDraft');
  await recovered.getByRole('button', { name: 'Restore them' }).click();
  await expect(field(pane, 'clinical-question')).toHaveValue('Palpable lump, left breast, 2 cm');
  await expectSaved(pane);
  await next.reload();
  pane = await openPane(next, study);
  await pane.getByRole('tab', { name: 'Second opinion' }).click();
  await expect(field(pane, 'clinical-question')).toHaveValue('Palpable lump, left breast, 2 cm');
  await expect(pane.locator('[data-recovered-draft]')).toHaveCount(0);
});
