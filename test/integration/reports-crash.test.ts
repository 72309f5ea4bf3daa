import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { openLibrary } from '../../electron/services/library/database.ts';
import { listStudies } from '../../electron/services/library/studies.ts';
import { listAudit } from '../../electron/services/reports/audit.ts';
import { createReport, getReport } from '../../electron/services/reports/report-store.ts';
import { haveCorpus, repoRoot } from '../support/environment.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';
import { exampleReportContent, importReportsCorpus } from '../support/reports.ts';

afterAll(cleanupTempDirs);

/**
 * The draft saver as a plain Node program: the real services, bundled as the command line is, into
 * the build folder (where its packages resolve, and which lint skips).
 */
function buildDraftSaver(): string {
  const dir = join(repoRoot, 'dist', 'test');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `draft-saver-${process.pid}.mjs`);
  buildSync({ entryPoints: [join(repoRoot, 'test', 'support', 'draft-saver.ts')], outfile, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' });
  return outfile;
}

describe.runIf(haveCorpus())('draft crash safety', () => {
  it('keeps the last committed revision whole when the process saving drafts is killed with SIGKILL mid-edit', async () => {
    const root = tempDir();
    await importReportsCorpus(root);
    const setup = openLibrary(root);
    const study = listStudies(setup.db)[0]?.studyInstanceUid as string;
    const reportId = createReport(setup.db, study, exampleReportContent(), { osUser: 'tester', profileId: null });
    setup.close();

    const program = buildDraftSaver();
    const saver = spawn(process.execPath, [program, root, String(reportId)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lastPrinted = 0;
    let stderr = '';
    saver.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await new Promise<void>((resolve, reject) => {
      saver.stdout.on('data', (chunk: Buffer) => {
        const lines = chunk.toString().trim().split('\n');
        lastPrinted = Math.max(lastPrinted, Number(lines[lines.length - 1]));
        if (lastPrinted >= 40) {
          saver.kill('SIGKILL');
          resolve();
        }
      });
      saver.once('exit', (code) => reject(new Error(`the draft saver ended by itself (${code}): ${stderr}`)));
    });
    const [, signal] = (await once(saver, 'exit')) as [number | null, string | null];
    rmSync(program, { force: true });
    expect(signal).toBe('SIGKILL');

    const library = openLibrary(root);
    try {
      expect(library.db.pragma('integrity_check', { simple: true })).toBe('ok');
      // Validated on the way out: the stored draft is a whole report, of the revision last committed.
      const report = getReport(library.db, reportId);
      expect(report.revision).toBeGreaterThanOrEqual(lastPrinted);
      expect(report.revision).toBeLessThanOrEqual(lastPrinted + 1);
      expect(report.content.secondOpinion.impression).toBe(`edit ${report.revision}`);
      expect(report.content.secondOpinion.narrative).toBe(`edit ${report.revision}. `.repeat(800));
      // Each save and its audit row commit together: one 'edited' event per revision after the first.
      expect(listAudit(library.db, reportId).filter((event) => event.action === 'edited')).toHaveLength(report.revision - 1);
    } finally {
      library.close();
    }
  });
});
