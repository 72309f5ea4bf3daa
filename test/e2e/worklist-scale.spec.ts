/// <reference lib="dom" />
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { concordJson } from '../support/cli.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';
import { startServe } from '../support/serve.ts';
import type { RunningHost } from '../support/serve.ts';

const STUDIES = 100_000;
let host: RunningHost;

test.beforeAll(async () => {
  const library = tempDir();
  concordJson(['studies', '--library', library]); // creates the schema
  // Index rows only (a worklist test needs no pixels): 100,000 studies of 25,000 patients.
  const db = new Database(join(library, 'concord.sqlite'));
  db.transaction(() => {
    const patient = db.prepare(`INSERT INTO patients (patient_id, issuer_of_patient_id, patient_name, birth_date, sex) VALUES (?, '', ?, '19600101', 'F')`);
    const study = db.prepare(`INSERT INTO studies (study_instance_uid, patient_ref, study_date, study_time, accession_number,
      issuer_of_accession_number, study_description, study_id, referring_physician_name, institution_name, created_at)
      VALUES (?, ?, ?, '120000', ?, '', ?, '', '', '', '2026-01-01')`);
    for (let p = 1; p <= STUDIES / 4; p += 1) {
      patient.run(`P${p}`, `PATIENT^NUMBER${p}`);
    }
    for (let s = 1; s <= STUDIES; s += 1) {
      const day = String(1 + (s % 28)).padStart(2, '0');
      study.run(`1.2.826.0.1.3680043.10.${s}`, 1 + (s % (STUDIES / 4)), `20${String(10 + (s % 15))}01${day}`, `A${s}`, s % 2 ? 'MG BILATERAL SCREENING' : 'MR BREAST');
    }
    db.exec(`INSERT INTO study_search (rowid, patient_names, identifiers, descriptions)
      SELECT st.id, p.patient_name, p.patient_id || ' ' || st.accession_number, st.study_description
      FROM studies st JOIN patients p ON p.id = st.patient_ref`);
  })();
  db.close();
  host = await startServe(library);
});

test.afterAll(async () => {
  await host.stop();
  cleanupTempDirs();
});

test('the worklist lists 100,000 studies, rendering only the rows in view', async ({ page }) => {
  await page.goto(host.openUrl);
  await page.getByRole('button', { name: 'Library' }).click();
  const table = page.getByRole('table', { name: 'Library' });
  await expect(table).toHaveAttribute('aria-rowcount', String(STUDIES), { timeout: 60_000 });
  await expect(page.getByText(`${STUDIES} studies`)).toBeVisible();
  const rendered = await table.locator('tbody tr[data-study-uid]').count();
  expect(rendered).toBeGreaterThan(10);
  expect(rendered).toBeLessThan(100);
  // Scrolled to the end, the last (oldest) study is there and the page still holds a window of rows.
  await page.locator('.worklist-scroll').evaluate((element) => element.scrollTo(0, element.scrollHeight));
  await expect(table.locator('tbody tr[data-study-uid]').last()).toBeVisible();
  expect(await table.locator('tbody tr[data-study-uid]').count()).toBeLessThan(100);
  await page.getByLabel('Search').fill('NUMBER12345');
  await expect(table).toHaveAttribute('aria-rowcount', '4');
  await page.screenshot({ path: 'test-results/e2e/worklist-100k.png' });
});
