import { runImport } from '../../electron/services/import/importer.ts';
import { corpus } from './environment.ts';

export { exampleReportContent, exampleReportPath } from './report-example.ts';

export const REPORTS_CORPUS = '07-reports-sr-pdf';
/** Imports the corpus folder of outside reports (seven small files, one study each) into a library. */
export async function importReportsCorpus(libraryRoot: string): Promise<void> {
  const summary = await runImport({ libraryRoot, source: corpus(REPORTS_CORPUS), readers: 0 });
  if (summary.status !== 'completed') {
    throw new Error(`import of ${REPORTS_CORPUS} ended ${summary.status}: ${summary.statusReason ?? ''}`);
  }
}
