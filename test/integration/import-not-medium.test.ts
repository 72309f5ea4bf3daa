import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { concord } from '../support/cli.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';
import { callApi, startServe } from '../support/serve.ts';

afterAll(cleanupTempDirs);

/** A home folder of its own, holding a text file and no DICOMDIR. */
function homeFolder(): string {
  const home = tempDir();
  mkdirSync(join(home, 'Documents'));
  writeFileSync(join(home, 'Documents', 'notes.txt'), 'shopping list\n');
  return home;
}

describe('a folder that is clearly not a medium is not imported without a yes (built command line and API)', () => {
  it('concord import refuses a home folder without --yes, naming why, and imports it with --yes', () => {
    const home = homeFolder();
    const library = tempDir();
    const refused = concord(['import', home, '--library', library], { HOME: home });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`concord: ${home} does not look like a disc or a medium: it is a home folder or a folder above one; it has no DICOMDIR.`);
    expect(refused.stderr).toContain('run again with --yes');
    const json = concord(['import', home, '--library', library, '--json'], { HOME: home });
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'source-not-medium', path: home, reasons: ['it is a home folder or a folder above one', 'it has no DICOMDIR'] } });
    // Nothing was started: the library has no import session.
    const sessions = concord(['studies', '--library', library, '--json']);
    expect(JSON.parse(sessions.stdout)).toMatchObject({ studies: [] });

    const yes = concord(['import', home, '--library', library, '--yes', '--json'], { HOME: home });
    // It ran: no DICOM in a home folder of notes (exit 3), not a refusal.
    expect(yes.status).toBe(3);
    expect(JSON.parse(yes.stdout)).toMatchObject({ status: 'no-dicom', filesSeen: 1 });
  });

  it('a folder below the home folder is imported without a question', () => {
    const home = homeFolder();
    const result = concord(['import', join(home, 'Documents'), '--library', tempDir(), '--json'], { HOME: home });
    expect(result.status).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'no-dicom' });
  });

  it('startImport answers source-not-medium (409) with the reasons, and starts with confirmed: true', async () => {
    const home = homeFolder();
    const host = await startServe(tempDir(), [], { HOME: home });
    try {
      const refused = await callApi(host, 'startImport', { path: home });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({
        error: { code: 'source-not-medium', details: { path: home, reasons: ['it is a home folder or a folder above one', 'it has no DICOMDIR'] } },
      });
      expect((await callApi(host, 'listJobs', {})).body).toEqual({ jobs: [] });
      const started = await callApi(host, 'startImport', { path: home, confirmed: true });
      expect(started.status).toBe(200);
      expect(started.body).toMatchObject({ job: { source: home } });
    } finally {
      await host.stop();
    }
  });
});
