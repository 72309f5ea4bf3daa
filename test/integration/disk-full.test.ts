import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../shared/import/outcomes.ts';
import { cliPath, concord, concordJson } from '../support/cli.ts';
import { corpus, haveCorpus, underCi } from '../support/environment.ts';
import { cleanupTempDirs, count, openIndex, tempDir } from '../support/library.ts';

afterAll(cleanupTempDirs);

/**
 * A full disk, for real: the library lives on a 3 MB tmpfs mounted in a mount namespace of its own
 * (root with the capability to mount, as on the development and CI machines); the mount ends with
 * the shell that made it, so nothing is left mounted if a test dies.
 */
function canMountTmpfs(): boolean {
  const probe = spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs -o size=1m tmpfs "$0"', tempDir()], { stdio: 'ignore' });
  if (probe.status === 0) {
    return true;
  }
  const message = 'mounting a small tmpfs (unshare -m, mount -t tmpfs) is not allowed here';
  if (underCi) {
    throw new Error(`CI requires ${message}`);
  }
  process.stderr.write(`SKIPPED: ${message}; the full-disk tests are skipped on this machine.\n`);
  return false;
}

const present = haveCorpus() && canMountTmpfs();
const CD = corpus('03-breast-patient-cd-mr-us-mimbcd'); // 38 MB: far more than the disk holds
const REPORTS = corpus('07-reports-sr-pdf');

interface Session {
  id: number;
  status: string;
  reason: string | null;
}

function sessions(library: string): Session[] {
  const db = openIndex(library);
  try {
    return db.prepare('SELECT id, status, status_reason AS reason FROM import_sessions ORDER BY id').all() as Session[];
  } finally {
    db.close();
  }
}

describe.runIf(present)('an import onto a full disk', () => {
  it('ends failed "disk full" with its JSON, and the session keeps that cause through later imports and their recovery', () => {
    const disk = tempDir();
    const out = tempDir();
    // Two imports on the full disk (the second one's recovery runs there too), then the library is
    // copied out before the mount goes away.
    const script = [
      'mount -t tmpfs -o size=3m tmpfs "$0" || exit 90',
      'for run in first second; do',
      '  "$2" "$3" import "$([ $run = first ] && echo "$4" || echo "$5")" --library "$0/library" --json >"$1/$run.json" 2>"$1/$run.err"',
      '  echo $? >"$1/$run.status"',
      'done',
      'cp -a "$0/library" "$1/library"',
    ].join('\n');
    const run = spawnSync('unshare', ['-m', 'sh', '-c', script, disk, out, process.execPath, cliPath, CD, REPORTS], {
      encoding: 'utf8',
      env: { ...process.env, CONCORD_IMPORT_BATCH_FILES: '20' },
    });
    expect(run.status).toBe(0);

    const first = JSON.parse(readFileSync(join(out, 'first.json'), 'utf8')) as ImportSummary;
    expect(readFileSync(join(out, 'first.status'), 'utf8').trim()).toBe('1');
    expect(first.status).toBe('failed');
    expect(first.statusReason).toMatch(/^disk full: the disk of the library at .* has no space left/);
    expect(first.counts.imported).toBeLessThan(145);
    expect(readFileSync(join(out, 'first.err'), 'utf8')).toContain('the import failed: disk full');

    // The second import, on the same full disk, answers in JSON too, whether it fits or not.
    const second = JSON.parse(readFileSync(join(out, 'second.json'), 'utf8')) as ImportSummary & { error?: { code: string } };
    expect(second.error?.code ?? second.status).toMatch(/^(completed|failed|disk-full)$/);

    const library = join(out, 'library');
    expect(sessions(library)[0]).toMatchObject({ id: 1, status: 'failed', reason: first.statusReason });

    // With space again (the copy is on an ordinary disk): the next import's recovery clears what the
    // failed batch left, and the first session keeps its cause rather than becoming 'interrupted'.
    const again = concordJson<ImportSummary>(['import', REPORTS, '--library', library]);
    expect(again.status).toBe('completed');
    const after = sessions(library);
    expect(after[0]).toMatchObject({ id: 1, status: 'failed', reason: first.statusReason });
    expect(after.filter((s) => s.status === 'running' || s.status === 'interrupted')).toEqual([]);
    const verify = concord(['verify', '--library', library, '--json']);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, orphans: [], temporaries: [], journalEntries: 0 });
    const db = openIndex(library);
    try {
      expect(count(db, 'SELECT count(*) AS n FROM import_lock')).toBe(0);
    } finally {
      db.close();
    }
  });
});
