import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surveySource } from '../../electron/services/import/source-survey.ts';
import { SURVEY_FILE_LIMIT, judgeSource } from '../../shared/import/source-survey.ts';
import type { SourceSurvey } from '../../shared/import/source-survey.ts';

const folder = (overrides: Partial<SourceSurvey>): SourceSurvey => ({
  path: '/media/cdrom',
  kind: 'folder',
  filesCounted: 148,
  countStopped: false,
  hasDicomdir: true,
  homeOrAbove: false,
  ...overrides,
});

describe('judgeSource: is a folder clearly not a medium?', () => {
  it('takes a CD with a DICOMDIR, and a small folder without one, without a question', () => {
    expect(judgeSource(folder({}))).toEqual({ verdict: 'medium' });
    expect(judgeSource(folder({ hasDicomdir: false, filesCounted: 9 }))).toEqual({ verdict: 'medium' });
    expect(judgeSource(folder({ kind: 'file', filesCounted: 1, hasDicomdir: false }))).toEqual({ verdict: 'medium' });
  });

  it('asks about a home folder, naming every reason', () => {
    const judged = judgeSource(folder({ path: '/home/clerk', homeOrAbove: true, hasDicomdir: false, countStopped: true, filesCounted: SURVEY_FILE_LIMIT }));
    expect(judged.verdict).toBe('ask');
    if (judged.verdict === 'ask') {
      expect(judged.reasons).toEqual(['it is a home folder or a folder above one', 'it holds 10,000 files or more', 'it has no DICOMDIR']);
      expect(judged.question).toBe(
        '/home/clerk does not look like a disc or a medium: it is a home folder or a folder above one; it holds 10,000 files or more; it has no DICOMDIR. Import every DICOM file under it?',
      );
    }
    // A home folder is asked about even when small, and even with a DICOMDIR in it.
    expect(judgeSource(folder({ homeOrAbove: true, filesCounted: 12 })).verdict).toBe('ask');
  });

  it('asks about tens of thousands of files without a DICOMDIR, not with one', () => {
    const large = folder({ path: '/data/exports', hasDicomdir: false, countStopped: true, filesCounted: SURVEY_FILE_LIMIT });
    expect(judgeSource(large)).toMatchObject({ verdict: 'ask', reasons: ['it holds 10,000 files or more', 'it has no DICOMDIR'] });
    expect(judgeSource({ ...large, hasDicomdir: true })).toEqual({ verdict: 'medium' });
    // One file short of the limit is not "tens of thousands".
    expect(judgeSource({ ...large, countStopped: false, filesCounted: SURVEY_FILE_LIMIT - 1 })).toEqual({ verdict: 'medium' });
  });
});

describe('surveySource: the bounded pre-scan', () => {
  let base: string;
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'concord-survey-'));
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('counts files and finds a DICOMDIR at the top or one folder down, not deeper', () => {
    const cd = join(base, 'cd');
    mkdirSync(join(cd, 'DICOM', 'ST1'), { recursive: true });
    writeFileSync(join(cd, 'README.TXT'), 'x');
    writeFileSync(join(cd, 'DICOM', 'ST1', 'IM1'), 'x');
    writeFileSync(join(cd, 'DICOM', 'ST1', 'DICOMDIR'), 'x');
    expect(surveySource(cd, '/nowhere/home')).toEqual({
      path: cd, kind: 'folder', filesCounted: 3, countStopped: false, hasDicomdir: false, homeOrAbove: false,
    });
    writeFileSync(join(cd, 'DICOM', 'dicomdir'), 'x');
    expect(surveySource(cd, '/nowhere/home')).toMatchObject({ filesCounted: 4, hasDicomdir: true });
  });

  it('stops counting at the limit', () => {
    const big = join(base, 'big');
    for (let folderIndex = 0; folderIndex < 3; folderIndex += 1) {
      const sub = join(big, `d${folderIndex}`);
      mkdirSync(sub, { recursive: true });
      for (let i = 0; i < SURVEY_FILE_LIMIT / 2; i += 1) {
        writeFileSync(join(sub, `f${i}`), '');
      }
    }
    expect(surveySource(big, '/nowhere/home')).toMatchObject({ filesCounted: SURVEY_FILE_LIMIT, countStopped: true, hasDicomdir: false });
  });

  it('knows a home folder, the folders above it and the root, but not a folder inside it', () => {
    const home = join(base, 'home', 'clerk');
    mkdirSync(join(home, 'Downloads', 'CD'), { recursive: true });
    expect(surveySource(home, home).homeOrAbove).toBe(true);
    expect(surveySource(join(base, 'home'), home).homeOrAbove).toBe(true);
    expect(surveySource(join(home, 'Downloads', 'CD'), home).homeOrAbove).toBe(false);
    // A sibling whose name starts like the home folder is not above it.
    mkdirSync(join(base, 'home', 'cl'), { recursive: true });
    expect(surveySource(join(base, 'home', 'cl'), home).homeOrAbove).toBe(false);
  });
});
