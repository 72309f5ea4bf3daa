import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runImport } from '../../electron/services/import/importer.ts';
import { repoRoot, corpus } from './environment.ts';

/** The README's example report, exactly as committed. */
export const exampleReportPath = join(repoRoot, 'test', 'fixtures', 'report-example.json');

export function exampleReportContent(): unknown {
  return JSON.parse(readFileSync(exampleReportPath, 'utf8')) as unknown;
}

export const REPORTS_CORPUS = '07-reports-sr-pdf';
/** Studies of that corpus folder: the Hologic mammography dose report's study, and the PDF's study. */
export const MAMMOGRAPHY_STUDY_FILE = 'rdsr_MG-RDSR-Hologic_2D.dcm';

/** Imports the corpus folder of outside reports (seven small files, one study each) into a library. */
export async function importReportsCorpus(libraryRoot: string): Promise<void> {
  const summary = await runImport({ libraryRoot, source: corpus(REPORTS_CORPUS), readers: 0 });
  if (summary.status !== 'completed') {
    throw new Error(`import of ${REPORTS_CORPUS} ended ${summary.status}: ${summary.statusReason ?? ''}`);
  }
}
