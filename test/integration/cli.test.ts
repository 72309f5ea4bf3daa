import { execFileSync, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, cpSync, existsSync, readFileSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportProgress, ImportSummary } from '../../shared/import/outcomes.ts';
import { concord, concordJson, onProgressLines, spawnConcord } from '../support/cli.ts';
import { corpus, haveCorpus, haveTool, repoRoot } from '../support/environment.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';

afterAll(cleanupTempDirs);

describe('concord command line', () => {
  it('documents every command and the JSON it prints', () => {
    const main = concord(['--help']);
    expect(main.status).toBe(0);
    expect(main.stdout).toMatch(/import <path>/);
    const importHelp = concord(['import', '--help']).stdout;
    for (const field of ['sessionId', 'status', 'counts', 'problems', 'conflicts', 'nonImageInstances', 'studies', 'peakRssBytes']) {
      expect(importHelp).toContain(field);
    }
    expect(concord(['studies', '--help']).stdout).toContain('instanceCount');
    expect(concord(['verify', '--help']).stdout).toContain('orphans');
  });

  it('ends quietly, with its own exit status, when the reader of its output stops early (| head)', async () => {
    const library = tempDir();
    const child = spawnConcord(['studies', '--library', library, '--json']);
    child.stdout?.destroy();
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = (await once(child, 'close')) as [number | null];
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
  });

  it('finds its reader threads and its import worker entry beside the built code that starts them', () => {
    // Both are located relative to the built module that needs them; a build that moved that module
    // elsewhere would silently import on one thread, or start the wrong worker.
    const built = join(repoRoot, 'dist', 'node');
    const modules = readdirSync(built).filter((name) => name.endsWith('.mjs'));
    const starting = (needle: string): string[] => modules.filter((name) => readFileSync(join(built, name), 'utf8').includes(needle));
    expect(starting('"./import-reader.mjs"').length).toBeGreaterThan(0);
    expect(starting('"./concord.mjs"').length).toBeGreaterThan(0);
    expect(existsSync(join(built, 'import-reader.mjs'))).toBe(true);
    expect(existsSync(join(built, 'concord.mjs'))).toBe(true);
    // The schema library is loaded only by the commands that check with it (serve, hang, protocols, reports),
    // through dynamic imports: nothing the entry imports statically pulls it in to slow other commands.
    const withSchemas = starting('from "zod"');
    expect(withSchemas.length).toBeGreaterThan(0);
    const staticImports = (name: string, seen = new Set<string>()): Set<string> => {
      if (!seen.has(name)) {
        seen.add(name);
        for (const match of readFileSync(join(built, name), 'utf8').matchAll(/\bimport\s*(?:[\w$*\s{},]*?\bfrom\s*)?"\.\/([^"]+\.mjs)"/g)) {
          staticImports(match[1] as string, seen);
        }
      }
      return seen;
    };
    const loadedByEveryCommand = staticImports('concord.mjs');
    expect(loadedByEveryCommand.size).toBeGreaterThan(1);
    expect(withSchemas.filter((name) => loadedByEveryCommand.has(name))).toEqual([]);
  });

  it('runs through npm exec and npm run on a fresh checkout', () => {
    const library = tempDir();
    const viaExec = spawnSync('npm', ['exec', '--', 'concord', 'studies', '--library', library, '--json'], { cwd: repoRoot, encoding: 'utf8' });
    expect(viaExec.status).toBe(0);
    expect(JSON.parse(viaExec.stdout)).toEqual({ library, studies: [] });
    const viaRun = spawnSync('npm', ['run', '--silent', 'concord', '--', 'studies', '--library', library, '--json'], { cwd: repoRoot, encoding: 'utf8' });
    expect(viaRun.status).toBe(0);
    expect(JSON.parse(viaRun.stdout)).toEqual({ library, studies: [] });
  });

  it('takes the library from --library, then CONCORD_LIBRARY', () => {
    const fromEnv = tempDir();
    const result = concordJson<{ library: string }>(['studies'], { CONCORD_LIBRARY: fromEnv });
    expect(result.library).toBe(fromEnv);
    const explicit = tempDir();
    expect(concordJson<{ library: string }>(['studies', '--library', explicit], { CONCORD_LIBRARY: fromEnv }).library).toBe(explicit);
  });

  it('exits non-zero with a clear message when it cannot run', () => {
    const library = tempDir();
    const missing = concord(['import', join(library, 'no-such-cd'), '--library', library]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/There is no file or folder at .*no-such-cd/);
    const usage = concord(['import']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/import needs exactly one path/);
    expect(concord(['frobnicate']).status).toBe(2);
  });

  it('refuses a second import into a library while one runs', () => {
    const library = tempDir();
    concordJson(['studies', '--library', library]);
    // This test process is alive: its pid in the lock stands for a running import.
    const db = new Database(join(library, 'concord.sqlite'));
    db.prepare('INSERT INTO import_lock (id, pid, acquired_at) VALUES (1, ?, ?)').run(process.pid, new Date().toISOString());
    const refused = concord(['import', tempDir(), '--library', library]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`Another import is running in this library \\(process ${process.pid}\\)`));
    // A lock left by a process that died is taken over.
    db.prepare('UPDATE import_lock SET pid = ? WHERE id = 1').run(2 ** 22 + 12345);
    db.close();
    // It runs: an empty folder ends as "no DICOM found" (exit 3), not refused by the lock (exit 1).
    expect(concord(['import', tempDir(), '--library', library]).status).toBe(3);
  });

  it('refuses a library from a newer Concord', () => {
    const library = tempDir();
    concordJson(['studies', '--library', library]);
    const db = new Database(join(library, 'concord.sqlite'));
    db.pragma('user_version = 9999');
    db.close();
    const result = concord(['studies', '--library', library]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/newer version of Concord/);
  });
});

describe.skipIf(!haveCorpus())('concord with real media', () => {
  const CD = corpus('03-breast-patient-cd-mr-us-mimbcd');

  it('prints a readable summary with every problem and its reason', () => {
    const library = tempDir();
    const result = concord(['import', corpus('07-reports-sr-pdf'), '--library', library]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/imported\s+7/);
    expect(result.stdout).toMatch(/Imported but not displayed by Concord \(7\)/);
    expect(result.stdout).toMatch(/encapsulated-pdf_orthanc-sample-pdf\.dcm: encapsulated-document/);
    expect(result.stdout).toMatch(/Problems \(2\):\n.*MANIFEST\.tsv: not-dicom: /);
    const listed = concord(['studies', '--library', library]);
    expect(listed.stdout).toMatch(/^7 studies in /);
  });

  it('verify finds missing, altered and stray store files', () => {
    const library = tempDir();
    concordJson(['import', CD, '--library', library]);
    expect(concord(['verify', '--library', library]).status).toBe(0);
    const objects = join(library, 'store', 'objects');
    const [firstShard, secondShard] = readdirSync(objects).sort();
    const first = join(objects, firstShard as string, readdirSync(join(objects, firstShard as string))[0] as string);
    const second = join(objects, secondShard as string, readdirSync(join(objects, secondShard as string))[0] as string);
    unlinkSync(first);
    appendFileSync(second, 'x');
    writeFileSync(join(objects, firstShard as string, 'f'.repeat(64)), 'stray');
    const result = concord(['verify', '--library', library, '--json']);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; problems: { kind: string }[]; orphans: string[] };
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.kind).sort()).toEqual(['corrupted', 'missing']);
    expect(report.orphans).toEqual(['f'.repeat(64)]);
  });

  it('can be cancelled with Ctrl-C: what was copied is committed, the library stays consistent', async () => {
    const library = tempDir();
    const child = spawnConcord(['import', CD, '--library', library, '--json', '--progress'], { CONCORD_IMPORT_BATCH_FILES: '10' });
    let stdout = '';
    let interrupted = false;
    child.stdout?.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    onProgressLines<ImportProgress>(child, (progress) => {
      if (!interrupted && progress.instancesImported >= 20) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(interrupted).toBe(true);
    const summary = JSON.parse(stdout) as ImportSummary;
    if (summary.status === 'cancelled') {
      expect(code).toBe(130);
      expect(summary.counts.imported).toBeLessThan(145);
      expect(summary.statusReason).toMatch(/cancelled after \d+ of 148 files/);
    } else {
      expect(summary.status).toBe('completed'); // the signal came after the last file
    }
    expect(summary.counts.imported).toBeGreaterThanOrEqual(20);
    const verify = JSON.parse(concord(['verify', '--library', library, '--json']).stdout) as Record<string, unknown>;
    expect(verify).toMatchObject({ ok: true, instancesChecked: summary.counts.imported });
  });

  it.skipIf(!haveTool('dcmodify', 'dcmtk'))('prints hostile header text as inert plain text', () => {
    const media = tempDir();
    const file = join(media, 'HOSTILE');
    cpSync(join(CD, 'IMAGES', 'IM1'), file);
    const hostile = `<script>alert(1)</script>\u001b[31mRED\u0007${'A'.repeat(3000)}`;
    execFileSync('dcmodify', ['-nb', '-i', `(0010,0010)=${hostile}`, '-i', '(0008,0018)=1.2.3.999.1', file], { stdio: 'ignore' });
    const library = tempDir();
    const result = concord(['import', media, '--library', library]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('<script>alert(1)</script>?[31mRED?');
    expect(result.stdout).not.toContain('\u001b');
    expect(result.stdout).not.toContain('\u0007');
    const studies = concordJson<{ studies: { patientName: string }[] }>(['studies', '--library', library]);
    // Stored as received (text, not markup), clipped to a bounded length.
    expect(studies.studies[0]?.patientName.startsWith('<script>alert(1)</script>\u001b[31mRED')).toBe(true);
    expect(studies.studies[0]?.patientName.length).toBeLessThanOrEqual(1024);
  });
});
