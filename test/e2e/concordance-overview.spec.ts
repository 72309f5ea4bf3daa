import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { READERS, SIGNED_CASES, buildConcordanceLibrary } from '../support/concordance-library.ts';
import { haveCorpus } from '../support/environment.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';
import { startServe } from '../support/serve.ts';
import type { RunningHost } from '../support/serve.ts';

// The concordance overview's drill-down: every count opens the list of the cases it counted, each
// opening its study; and the filters by signing date and reader.
let host: RunningHost;

test.skip(!haveCorpus(), 'needs the DICOM corpus');
// The fixture signs mid-morning UTC: the page's local dates are the fixture's dates in UTC.
test.use({ timezoneId: 'UTC' });

test.beforeAll(async () => {
  const library = tempDir();
  await buildConcordanceLibrary(library);
  host = await startServe(library, [], { TZ: 'UTC' });
});

test.afterAll(async () => {
  await host.stop();
  cleanupTempDirs();
});

async function openOverview(page: Page): Promise<void> {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(host.openUrl);
  await page.getByRole('button', { name: 'Concordance' }).click();
  await expect(page.getByRole('heading', { name: 'Concordance overview' })).toBeVisible();
}

const caseList = (page: Page) => page.getByRole('region', { name: 'Cases behind the count' });
const caseRows = (page: Page) => caseList(page).locator('tbody tr');

test('every count opens the list of its cases, and a case opens its study', async ({ page }) => {
  await openOverview(page);
  await page.getByRole('button', { name: '5 signed reports: list the cases' }).click();
  await expect(caseRows(page)).toHaveCount(5);
  await expect(caseList(page).getByRole('heading')).toHaveText('Signed reports: 5 cases');

  // The major discordance: one case, its reader, its categories, its signing date.
  await page.locator('[data-verdict-count="major"]').getByRole('button').click();
  await expect(caseRows(page)).toHaveCount(1);
  const major = SIGNED_CASES.find((c) => c.verdict === 'major');
  await expect(caseRows(page)).toContainText(READERS[major?.reader ?? 'dr-north']);
  await expect(caseRows(page)).toContainText('3 → 4A');
  await expect(caseRows(page)).toContainText('North Clinic');
  await expect(caseRows(page)).toContainText('2024');
  await expect(caseRows(page).locator('[data-verdict]')).toHaveText('Major discordance');

  // By facility: a group's total and one verdict of it.
  await page.getByLabel('Group by').selectOption('facility');
  const north = page.locator('tr[data-group="North Clinic"]');
  await north.locator('[data-count="total"]').getByRole('button').click();
  await expect(caseRows(page)).toHaveCount(3);
  await expect(caseRows(page).locator('[data-verdict]')).toHaveText(['Concordant', 'Major discordance', 'Concordant']);
  await page.locator('tr[data-group="South Imaging"] [data-count="minor"]').getByRole('button').click();
  await expect(caseRows(page)).toHaveCount(1);
  await expect(caseRows(page)).toContainText('4A → 4B');

  // A matrix cell, and the discordant case whose outcome supported the second opinion.
  await page.locator('td[data-cell="2|2"]').getByRole('button').click();
  await expect(caseRows(page)).toHaveCount(2);
  await page.locator('li[data-support="second-opinion"]').getByRole('button').click();
  await expect(caseRows(page)).toHaveCount(1);
  await expect(caseRows(page)).toContainText('3 → 4A');
  await page.screenshot({ path: 'test-results/e2e/concordance-drilldown.png', fullPage: true });

  // A zero is not a link.
  await expect(page.locator('li[data-support="both"]').getByRole('button')).toBeDisabled();

  // The case opens its study.
  await caseRows(page).getByRole('link').click();
  await expect(page).toHaveURL(/#\/(study|hang|viewer)\/[0-9.]+$/);
});

test('filters by signing date and reader change every count, and the lists follow', async ({ page }) => {
  await openOverview(page);
  await page.getByLabel('Reader').selectOption({ label: 'Dr. Sam South' });
  await expect(page.getByRole('button', { name: '2 signed reports: list the cases' })).toBeVisible();
  await expect(page.locator('[data-verdict-count="major"] dd')).toHaveText('0 (0 %)');
  await page.locator('[data-verdict-count="concordant"]').getByRole('button').click();
  await expect(caseRows(page)).toHaveCount(1);
  await expect(caseRows(page)).toContainText('Dr. Sam South');
  // Changing a filter closes a list drawn from the old counts.
  await page.getByLabel('Signed from').fill('2024-02-01');
  await expect(caseList(page)).toHaveCount(0);
  await page.getByLabel('to', { exact: true }).fill('2024-02-29');
  await expect(page.getByRole('button', { name: '1 signed reports: list the cases' })).toBeVisible();
  await page.getByRole('button', { name: '1 signed reports: list the cases' }).click();
  await expect(caseRows(page)).toHaveCount(1);
  await expect(caseRows(page)).toContainText('4A → 4B');
  await page.screenshot({ path: 'test-results/e2e/concordance-filters.png', fullPage: true });

  // All readers, the same dates: February's two cases.
  await page.getByLabel('Reader').selectOption({ label: 'All readers' });
  await expect(page.getByRole('button', { name: '2 signed reports: list the cases' })).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByRole('button', { name: '5 signed reports: list the cases' })).toBeVisible();
});
