import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './environment.ts';

/** The README's example report, exactly as committed (a reportContentSchema JSON). */
export const exampleReportPath = join(repoRoot, 'test', 'fixtures', 'report-example.json');

export function exampleReportContent(): unknown {
  return JSON.parse(readFileSync(exampleReportPath, 'utf8')) as unknown;
}
