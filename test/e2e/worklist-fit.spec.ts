/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Locator } from '@playwright/test';
import { concordJson } from '../support/cli.ts';
import { corpus, haveCorpus, haveTool } from '../support/environment.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';
import { startServe } from '../support/serve.ts';
import type { RunningHost } from '../support/serve.ts';

let host: RunningHost;

const STUDIES = 21;

test.skip(!haveCorpus() || !haveTool('dcmodify', 'dcmtk'), 'needs the corpus and dcmtk');

test.beforeAll(async () => {
  // The breast CD (its study is described "MAMA^ROTINA"), the character-set names, reports (dated,
  // with non-image counts), and one image given the widest values a worklist meets.
  const wide = tempDir();
  const file = join(wide, 'WIDE');
  cpSync(corpus('03-breast-patient-cd-mr-us-mimbcd', 'IMAGES', 'IM1'), file);
  execFileSync('dcmodify', ['-nb',
    '-i', '(0010,0010)=WOLFESCHLEGELSTEINHAUSENBERGERDORFF^HUBERTINA^BLAINE^DR^III', '-i', '(0010,0020)=PID-1234567890-ABCDEFGHIJKLMNOP',
    '-i', '(0010,0030)=19610415', '-i', '(0008,0020)=20240131', '-i', '(0008,0050)=ACC2024013100012',
    '-i', '(0008,1030)=MG^BILATERAL^SCREENING^WITH^TOMOSYNTHESIS^AND^CAD^REVIEW',
    '-i', '(0020,000D)=1.2.826.0.1.3680043.99.31', '-i', '(0020,000E)=1.2.826.0.1.3680043.99.32', '-i', '(0008,0018)=1.2.826.0.1.3680043.99.33',
    file], { stdio: 'ignore' });
  const library = tempDir();
  for (const media of ['03-breast-patient-cd-mr-us-mimbcd', '06-dicomdir-charsets-clunie', '07-reports-sr-pdf']) {
    concordJson(['import', corpus(media), '--library', library]);
  }
  concordJson(['import', wide, '--library', library]);
  host = await startServe(library);
});

test.afterAll(async () => {
  await host.stop();
  cleanupTempDirs();
});

/** Whether an element's text is cut (overflowing its own box) or its box leaves the container's. */
async function fits(cell: Locator, containerSelector: string): Promise<{ clipped: boolean; outside: boolean; text: string }> {
  return cell.evaluate((cell, container) => {
    const box = cell.getBoundingClientRect();
    const outer = (document.querySelector(container) as HTMLElement).getBoundingClientRect();
    return {
      clipped: cell.scrollWidth > cell.clientWidth,
      outside: box.left < outer.left - 0.5 || box.right > outer.right + 0.5,
      text: cell.textContent ?? '',
    };
  }, containerSelector);
}

for (const [width, height] of [[1280, 800], [1600, 900]] as const) {
  test(`at ${width}x${height} with a study selected the worklist fits: modality and counts shown, no sideways scroll`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await page.goto(host.openUrl);
    await page.getByRole('button', { name: 'Library' }).click();
    const table = page.getByRole('table', { name: 'Library' });
    await expect(table).toHaveAttribute('aria-rowcount', String(STUDIES));

    const row = table.locator('tbody tr', { hasText: 'MAMA ROTINA' });
    await expect(row).toHaveCount(1);
    await expect(table).not.toContainText('MAMA^ROTINA');
    await row.click();
    await expect(page.getByRole('complementary', { name: 'Selected study' })).toBeVisible();
    await expect(page.getByRole('complementary', { name: 'Selected study' })).toContainText('Series (');

    // A name with all three groups: the alphabetic one, the ideographic in parentheses.
    await expect(table.locator('tbody td[data-column="patientName"]', { hasText: 'Yamada, Tarou (山田 太郎)' })).toHaveCount(1);

    await page.screenshot({ path: `test-results/e2e/worklist-fit-${width}.png` });
    const scroller = page.locator('[data-worklist]');
    const overflow = await scroller.evaluate((element) => ({ scrollWidth: element.scrollWidth, clientWidth: element.clientWidth }));
    expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.clientWidth);

    // Every row's modality and counts, and their headers, are whole and inside the worklist.
    const rows = await table.locator('tbody tr[data-study-uid]').count();
    expect(rows).toBe(STUDIES);
    for (const column of ['modalities', 'seriesCount', 'instanceCount']) {
      const header = await fits(table.locator(`th[data-column="${column}"]`), '[data-worklist]');
      expect(header, `${column} header`).toEqual({ clipped: false, outside: false, text: expect.any(String) });
      for (let index = 0; index < rows; index += 1) {
        const cell = await fits(table.locator(`tbody tr[data-study-uid]`).nth(index).locator(`td[data-column="${column}"]`), '[data-worklist]');
        expect(cell, `${column} of row ${index}: ${cell.text}`).toEqual({ clipped: false, outside: false, text: expect.stringMatching(/\S/) });
      }
    }
    // The widest values are cut inside their cells, and the selected study's panel shows them whole.
    await table.locator('tbody tr', { hasText: 'WOLFESCHLEGEL' }).click();
    const panel = page.getByRole('complementary', { name: 'Selected study' });
    await expect(panel).toContainText('accession ACC2024013100012');
    await expect(panel).toContainText('born 1961-04-15');
    await expect(panel.locator('.selected-study .strong')).toHaveAttribute('title', 'WOLFESCHLEGELSTEINHAUSENBERGERDORFF, DR HUBERTINA BLAINE, III');
    await expect(panel).toContainText('MG BILATERAL SCREENING WITH TOMOSYNTHESIS AND CAD REVIEW');
    expect(await scroller.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    await page.screenshot({ path: `test-results/e2e/worklist-fit-${width}-wide.png` });

    await page.getByLabel('Search').fill('mama rotina');
    await expect(table).toHaveAttribute('aria-rowcount', '1');
    await expect(table.locator('tbody tr')).toContainText('MAMA ROTINA');
    await page.getByLabel('Search').fill('yamada tarou');
    await expect(table).toHaveAttribute('aria-rowcount', '1');
    await expect(table.locator('tbody tr')).toContainText('Yamada, Tarou (山田 太郎)');
  });
}

test('the viewer shows the description with spaces in its study head and overlay', async ({ page }) => {
  await page.goto(host.openUrl);
  await page.getByRole('button', { name: 'Library' }).click();
  await page.getByRole('table', { name: 'Library' }).locator('tbody tr', { hasText: 'MAMA ROTINA' }).dblclick();
  await expect(page.locator('[data-viewport="vp-0"]')).toHaveAttribute('data-rendered', 'true', { timeout: 30_000 });
  await expect(page.locator('.study-head')).toContainText('MAMA ROTINA');
  await expect(page.locator('.overlay .top-right')).toContainText('MAMA ROTINA');
  await expect(page.locator('.viewer')).not.toContainText('MAMA^ROTINA');
  await expect(page.getByLabel('Other studies of this patient')).toContainText('US Breast');
  await page.screenshot({ path: 'test-results/e2e/viewer-description.png' });
});
