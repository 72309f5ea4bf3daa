import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportSourceError, checkImportSource, sourceErrorFrom } from '../../electron/services/import/source-check.ts';
import { runImport } from '../../electron/services/import/importer.ts';
import { emptyOutcomeCounts, foundNoDicom } from '../../shared/import/outcomes.ts';
import { cliPath, concord } from '../support/cli.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';

afterAll(() => cleanupTempDirs());

/** A folder of files that are not DICOM: text, a script, bytes that start like nothing in particular. */
function nonDicomFolder(): string {
  const folder = join(tempDir(), 'not-a-cd');
  mkdirSync(join(folder, 'docs'), { recursive: true });
  writeFileSync(join(folder, 'README.txt'), 'This disc holds a viewer program.\n');
  writeFileSync(join(folder, 'autorun.inf'), '[autorun]\nopen=viewer.exe\n');
  writeFileSync(join(folder, 'docs', 'manual.bin'), Buffer.alloc(4096, 7));
  return folder;
}

function errorOf(run: () => unknown): ImportSourceError {
  try {
    run();
  } catch (error) {
    if (error instanceof ImportSourceError) {
      return error;
    }
    throw error;
  }
  throw new Error('no ImportSourceError was thrown');
}

function mkfifo(path: string): void {
  const made = spawnSync('mkfifo', [path]);
  expect(made.status, 'mkfifo (coreutils) makes the named pipe').toBe(0);
}

describe('what an import source is, before any file is read', () => {
  it('says a path that does not exist does not exist', () => {
    const missing = join(tempDir(), 'no-such-cd');
    const error = errorOf(() => checkImportSource(missing));
    expect(error.code).toBe('source-not-found');
    expect(error.path).toBe(missing);
    expect(error.message).toBe(`There is no file or folder at ${missing}: check the path (is the disc or drive mounted?)`);
  });

  it('says a path through a file cannot exist, naming why', () => {
    const file = join(tempDir(), 'file.txt');
    writeFileSync(file, 'text');
    const error = errorOf(() => checkImportSource(join(file, 'sub')));
    expect(error.code).toBe('source-not-found');
    expect(error.message).toMatch(/a part of the path is a file, not a folder$/);
  });

  it('refuses a named pipe without opening it (a read would wait for ever)', () => {
    const pipe = join(tempDir(), 'pipe');
    mkfifo(pipe);
    const error = errorOf(() => checkImportSource(pipe));
    expect(error.code).toBe('source-unreadable');
    expect(error.message).toBe(`${pipe} is a named pipe (FIFO): only a folder, a drive's mount point or a file can be imported`);
  });

  it('classifies the errors a read can end in: permission, a drive that does not answer, anything else', () => {
    const denied = sourceErrorFrom('/media/cdrom', Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }));
    expect(denied.code).toBe('source-unreadable');
    expect(denied.message).toBe('/media/cdrom cannot be read: permission denied (EACCES)');
    const noDisc = sourceErrorFrom('/media/cdrom', Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
    expect(noDisc.code).toBe('source-unreadable');
    expect(noDisc.message).toMatch(/the drive did not answer \(EIO\); is the disc in the drive\?$/);
    const other = sourceErrorFrom('/x', Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' }));
    expect(other.code).toBe('source-unreadable');
    expect(other.message).toBe('/x cannot be read: EMFILE: too many open files');
  });

  it('tells folders from files', () => {
    const folder = nonDicomFolder();
    expect(checkImportSource(folder)).toBe('folder');
    expect(checkImportSource(join(folder, 'README.txt'))).toBe('file');
  });
});

describe('an import that meets no DICOM file', () => {
  it('ends as no-dicom, not completed, for an empty folder', async () => {
    const empty = tempDir();
    const summary = await runImport({ libraryRoot: tempDir(), source: empty, readers: 0 });
    expect(summary.status).toBe('no-dicom');
    expect(summary.filesSeen).toBe(0);
    expect(summary.statusReason).toBe(`No DICOM files were found in ${empty}: it holds no files`);
  });

  it('ends as no-dicom for a folder of other files, saying how many were examined', async () => {
    const folder = nonDicomFolder();
    const summary = await runImport({ libraryRoot: tempDir(), source: folder });
    expect(summary.status).toBe('no-dicom');
    expect(summary.counts['not-dicom']).toBe(3);
    expect(summary.statusReason).toBe(`No DICOM files were found in ${folder}: 3 files examined, none is DICOM`);
    expect(summary.problems.map((p) => p.path).sort()).toEqual(['README.txt', 'autorun.inf', 'docs/manual.bin']);
  });

  it('is not called no-dicom when a file could not be read or was DICOM refused for its content', () => {
    expect(foundNoDicom({ ...emptyOutcomeCounts(), 'not-dicom': 4 })).toBe(true);
    expect(foundNoDicom({ ...emptyOutcomeCounts(), 'not-dicom': 4, unreadable: 1 })).toBe(false);
    expect(foundNoDicom({ ...emptyOutcomeCounts(), truncated: 1 })).toBe(false);
    expect(foundNoDicom({ ...emptyOutcomeCounts(), 'already-present': 1 })).toBe(false);
  });
});

describe('concord import, for each kind of source problem', () => {
  it('a path that does not exist: exit 1, the reason, and a typed error in --json', () => {
    const library = tempDir();
    const missing = join(library, 'no-such-cd');
    const text = concord(['import', missing, '--library', library]);
    expect(text.status).toBe(1);
    expect(text.stderr).toBe(`concord: There is no file or folder at ${missing}: check the path (is the disc or drive mounted?)\n`);
    const json = concord(['import', missing, '--library', library, '--json']);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      error: { code: 'source-not-found', message: expect.stringContaining(missing), path: missing },
      library,
    });
  });

  it('a named pipe: exit 1, refused as unreadable', () => {
    const library = tempDir();
    const pipe = join(library, 'pipe');
    mkfifo(pipe);
    const json = concord(['import', pipe, '--library', library, '--json']);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'source-unreadable', path: pipe });
    expect(json.stderr).toMatch(/is a named pipe \(FIFO\)/);
  });

  it('an empty folder and a folder without DICOM: exit 3 and status no-dicom', () => {
    const library = tempDir();
    const empty = tempDir();
    const emptyRun = concord(['import', empty, '--library', library]);
    expect(emptyRun.status).toBe(3);
    expect(emptyRun.stdout).toMatch(new RegExp(`^Import of ${empty}: no DICOM found \\(No DICOM files were found in ${empty}: it holds no files\\)`));
    const folder = nonDicomFolder();
    const json = concord(['import', folder, '--library', library, '--json']);
    expect(json.status).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({
      status: 'no-dicom',
      statusReason: `No DICOM files were found in ${folder}: 3 files examined, none is DICOM`,
      counts: { imported: 0, 'not-dicom': 3 },
    });
    expect(json.stderr).toBe(`concord: No DICOM files were found in ${folder}: 3 files examined, none is DICOM\n`);
  });

  it('takes a relative path from the folder it was run in, as a shell user expects', () => {
    const library = tempDir();
    const folder = nonDicomFolder();
    const run = spawnSync(process.execPath, [cliPath, 'import', 'not-a-cd', '--library', library, '--json'], {
      cwd: join(folder, '..'),
      encoding: 'utf8',
    });
    expect(run.status).toBe(3);
    expect(JSON.parse(run.stdout).source).toBe(folder);
  });
});
