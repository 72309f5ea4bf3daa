/// <reference lib="dom" />
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import {
  withCommandGroup, withSequenceDelimiterEndingItem, withUnSequenceOfExplicitItems, withoutPixelDataDelimiter,
} from '../support/dicom-surgery.ts';
import { corpus, haveCorpus, haveTool } from '../support/environment.ts';
import { cleanupTempDirs, openIndex, tempDir } from '../support/library.ts';
import { referencePixels } from '../support/reference-pixels.ts';
import { startServe } from '../support/serve.ts';
import type { RunningHost } from '../support/serve.ts';

// Files with the quirks outside media carry, imported through the page: listed with their notes, and
// the viewer decodes each to exactly the pixels of the unquirked original.

interface Case {
  name: string;
  original: string;
  quirk: string;
  make: (bytes: Buffer) => Buffer;
}

const CASES: Case[] = [
  { name: 'UNSEQ', original: corpus('03-breast-patient-cd-mr-us-mimbcd', 'IMAGES', 'IM0'), quirk: 'un-sequence-explicit-items', make: withUnSequenceOfExplicitItems },
  { name: 'CMDGROUP', original: corpus('03-breast-patient-cd-mr-us-mimbcd', 'IMAGES', 'IM1'), quirk: 'command-group-elements', make: (b) => withCommandGroup(b) },
  { name: 'NODELIM', original: corpus('08-transfer-syntaxes', 'WG04_MR1_JPLL.dcm'), quirk: 'pixel-data-delimiter-missing', make: withoutPixelDataDelimiter },
  { name: 'SEQDELIM', original: corpus('08-transfer-syntaxes', 'WG04_MR1_JLSL.dcm'), quirk: 'sequence-delimiter-ends-item', make: withSequenceDelimiterEndingItem },
];

let host: RunningHost;
let library: string;
let media: string;
let work: string;

test.skip(!haveCorpus() || !haveTool('dcmdjpls', 'dcmtk'), 'needs the corpus and dcmtk');

test.beforeAll(async () => {
  library = tempDir();
  work = tempDir();
  media = join(tempDir(), 'OUTSIDE-CD');
  mkdirSync(media);
  for (const c of CASES) {
    writeFileSync(join(media, c.name), c.make(readFileSync(c.original)));
  }
  host = await startServe(library);
});

test.afterAll(async () => {
  await host.stop();
  cleanupTempDirs();
});

test('quirked files are imported with their notes, and the viewer decodes the pixels of the originals', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(host.openUrl);
  await page.getByLabel('Folder, drive or file').fill(media);
  await page.getByRole('button', { name: 'Start import' }).click();
  const quirks = page.getByRole('table', { name: 'Read through quirks' });
  await expect(quirks.locator('tbody tr')).toHaveCount(CASES.length, { timeout: 30_000 });
  for (const c of CASES) {
    await expect(quirks.locator('tbody tr', { hasText: c.name })).toContainText(c.quirk);
  }
  await expect(page.getByRole('table', { name: 'Problems' })).toHaveCount(0);
  await page.screenshot({ path: 'test-results/e2e/import-quirks.png', fullPage: true });

  const db = openIndex(library);
  const located = db
    .prepare(`SELECT i.source_path AS path, i.sop_instance_uid AS sop, st.study_instance_uid AS study
      FROM instances i JOIN series se ON se.id = i.series_ref JOIN studies st ON st.id = se.study_ref`)
    .all() as { path: string; sop: string; study: string }[];
  db.close();
  expect(located.map((r) => r.path).sort()).toEqual(CASES.map((c) => c.name).sort());

  for (const c of CASES) {
    const row = located.find((r) => r.path === c.name) as { sop: string; study: string };
    await page.goto(`${host.base}#/viewer/${row.study}/${row.sop}`);
    const viewport = page.locator('[data-viewport="vp-0"]');
    await expect(viewport, c.name).toHaveAttribute('data-rendered', 'true', { timeout: 60_000 });
    await expect(viewport).toHaveAttribute('data-sop-instance-uid', row.sop);
    const reference = referencePixels(c.original, work);
    const total = reference.rows * reference.columns;
    const ours = await page.evaluate(
      () => (globalThis as unknown as { concordDiagnostics: { pixelSample(s: string, n: number): Promise<{ length: number; sample: number[] }> } }).concordDiagnostics.pixelSample('vp-0', 1),
    );
    expect(ours.length, c.name).toBe(total);
    let differing = 0;
    ours.sample.forEach((value, index) => {
      const stored = reference.values[index] as number;
      const modality = stored * reference.rescaleSlope + reference.rescaleIntercept;
      if (value !== stored && value !== modality) {
        differing += 1;
      }
    });
    expect({ file: c.name, differing }).toEqual({ file: c.name, differing: 0 });
    if (c.name === 'UNSEQ') {
      await page.screenshot({ path: 'test-results/e2e/import-quirks-viewer.png' });
    }
  }
  expect(errors).toEqual([]);
});
