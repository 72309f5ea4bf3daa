/// <reference lib="dom" />
import { expect, test } from '@playwright/test';
import { concordJson } from '../support/cli.ts';
import { haveCorpus, haveTool } from '../support/environment.ts';
import { buildIdentityMedia } from '../support/identity-media.ts';
import type { OutsideMedium } from '../support/identity-media.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';
import { startServe } from '../support/serve.ts';
import type { RunningHost } from '../support/serve.ts';

let host: RunningHost;
let library: string;
let media: { current: OutsideMedium; prior: OutsideMedium; lookAlike: OutsideMedium };

interface Patients { patients: { id: number; identities: { patientId: string }[]; studies: { studyDate: string }[] }[] }

test.skip(!haveCorpus() || !haveTool('dcmodify', 'dcmtk'), 'needs the corpus and dcmtk');

test.beforeAll(async () => {
  media = buildIdentityMedia(tempDir());
  library = tempDir();
  for (const medium of [media.prior, media.current, media.lookAlike]) {
    concordJson(['import', medium.path, '--library', library]);
  }
  host = await startServe(library);
});

test.afterAll(async () => {
  await host.stop();
  cleanupTempDirs();
});

test('a person reviews the link proposal, accepts it, and the patient page lists both facilities by date', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(host.openUrl);
  await page.getByRole('button', { name: 'Library' }).click();
  const worklist = page.getByRole('table', { name: 'Library' });
  await expect(worklist.locator('tbody tr')).toHaveCount(3);
  // The two identities with an open proposal are marked; the look-alike is not.
  const row = (medium: OutsideMedium) => worklist.locator('tbody tr', { hasText: medium.patientId });
  await expect(row(media.current).locator('[data-unlinked]')).toHaveCount(1);
  await expect(row(media.prior).locator('[data-unlinked]')).toHaveCount(1);
  await expect(row(media.lookAlike).locator('[data-unlinked]')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/e2e/reconcile-worklist-before.png' });

  await row(media.current).click();
  await page.getByRole('link', { name: /Patient page \(1 link proposal to review\)/ }).click();
  const proposal = page.locator('article.proposal');
  await expect(proposal).toHaveCount(1);
  await expect(proposal.locator('tr[data-attribute="name"]')).toHaveAttribute('data-agrees', 'true');
  await expect(proposal.locator('tr[data-attribute="name"]')).toContainText('Müller, Anna');
  await expect(proposal.locator('tr[data-attribute="name"]')).toContainText('MUELLER, ANNA');
  await expect(proposal.locator('tr[data-attribute="birthDate"]')).toHaveAttribute('data-agrees', 'true');
  await expect(proposal.locator('tr[data-attribute="patientId"]')).toContainText('A-1001');
  await expect(proposal.locator('tr[data-attribute="patientId"]')).toContainText('B-77');
  await expect(proposal).toContainText('Hospital B');
  await expect(proposal).toContainText('Clinic A');
  // Before a decision the patient page holds one study only.
  await expect(page.getByRole('region', { name: 'Studies' }).locator('tbody tr')).toHaveCount(1);
  await page.screenshot({ path: 'test-results/e2e/reconcile-proposal.png', fullPage: true });

  await proposal.getByRole('button', { name: /Accept/ }).click();
  await expect(page.locator('article.proposal')).toHaveCount(0);
  const timeline = page.getByRole('region', { name: 'Studies' }).locator('tbody tr');
  await expect(timeline).toHaveCount(2);
  await expect(timeline.nth(0)).toContainText('2023-02-10');
  await expect(timeline.nth(0)).toContainText('Hospital B');
  await expect(timeline.nth(1)).toContainText('2024-03-15');
  await expect(timeline.nth(1)).toContainText('Clinic A');
  await expect(page.getByRole('region', { name: 'Identities' }).locator('li')).toHaveCount(2);
  await page.screenshot({ path: 'test-results/e2e/reconcile-patient-page.png', fullPage: true });

  // The command line sees the same: one patient with both studies; the look-alike apart.
  const { patients } = concordJson<Patients>(['patients', '--library', library]);
  expect(patients).toHaveLength(2);
  const joined = patients.find((p) => p.identities.length === 2);
  expect(joined?.studies.map((s) => s.studyDate)).toEqual(['20230210', '20240315']);

  // The worklist: one row per study, both named as the local patient, no mark left; the prior is listed beside the current.
  await page.getByRole('button', { name: 'Library' }).click();
  await expect(worklist.locator('[data-unlinked]')).toHaveCount(0);
  // The local patient's name is that of its first identity (facility B's, imported first).
  await expect(row(media.prior).locator('td[data-column="patientName"]')).toHaveText('MUELLER, ANNA');
  await expect(row(media.current).locator('td[data-column="patientName"]')).toHaveText('MUELLER, ANNA');
  await expect(row(media.current).locator('td[data-column="patientName"]')).toHaveAttribute('title', 'MUELLER, ANNA (received as Müller, Anna)');
  await row(media.current).click();
  await expect(page.locator('.other-study')).toHaveCount(1);
  await expect(page.locator('.other-study')).toContainText('2023-02-10');
  await page.screenshot({ path: 'test-results/e2e/reconcile-worklist-after.png' });

  // Undo from the patient page splits them again.
  await page.getByRole('link', { name: 'Patient page' }).click();
  const prior = page.getByRole('region', { name: 'Identities' }).locator('li', { hasText: 'B-77' });
  await prior.getByRole('button', { name: 'Undo link' }).click();
  await expect(page.getByRole('region', { name: 'Identities' }).locator('li')).toHaveCount(1);
  await expect(page.getByRole('region', { name: 'Studies' }).locator('tbody tr')).toHaveCount(1);
  expect(concordJson<Patients>(['patients', '--library', library]).patients).toHaveLength(3);
});
