import { cpSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FileOutcome, ImportSummary } from '../../shared/import/outcomes.ts';
import { concordJson } from '../support/cli.ts';
import { havePydicomFiles, pydicomTestFiles } from '../support/environment.ts';
import { cleanupTempDirs, count, openIndex, tempDir } from '../support/library.ts';

const available = havePydicomFiles();
afterAll(cleanupTempDirs);

function outcomesByPath(library: string, sessionId: number): Record<string, { outcome: FileOutcome; reason: string | null }> {
  const db = openIndex(library);
  try {
    const rows = db
      .prepare('SELECT path, outcome, reason FROM import_outcomes WHERE session_id = ?')
      .all(sessionId) as { path: string; outcome: FileOutcome; reason: string | null }[];
    return Object.fromEntries(rows.map((r) => [r.path, { outcome: r.outcome, reason: r.reason }]));
  } finally {
    db.close();
  }
}

describe.skipIf(!available)("Debian pydicom's media layout and broken files", () => {
  it('reads all seven DICOMDIR variants of the dicomdirtests media (big endian, implicit, reordered, ...)', () => {
    const library = tempDir();
    const summary = concordJson<ImportSummary>(['import', join(pydicomTestFiles, 'dicomdirtests'), '--library', library]);
    expect(summary.filesSeen).toBe(91);
    expect(summary.counts).toEqual({
      imported: 81,
      'already-present': 0,
      conflict: 0,
      'media-directory': 7,
      missing: 0,
      'not-dicom': 2,
      truncated: 0,
      unreadable: 1,
      'no-sop-instance-uid': 0,
      unfiled: 0,
    });
    const outcomes = outcomesByPath(library, summary.sessionId);
    for (const variant of ['DICOMDIR', 'DICOMDIR-bigEnd', 'DICOMDIR-implicit', 'DICOMDIR-nopatient', 'DICOMDIR-reordered']) {
      expect(outcomes[variant]).toEqual({
        outcome: 'media-directory',
        reason: 'DICOMDIR: 52 records, 31 file references, 0 missing',
      });
    }
    expect(outcomes['DICOMDIR-empty.dcm']?.reason).toBe('DICOMDIR: 0 records, 0 file references, 0 missing');
    expect(outcomes['TINY_ALPHA/DICOMDIR']?.reason).toBe('DICOMDIR: 53 records, 50 file references, 0 missing');
    // Its record sequence's length is inconsistent: it is reported, and the files it lists are still found by the walk.
    expect(outcomes['DICOMDIR-nooffset']?.outcome).toBe('unreadable');
    expect(outcomes['DICOMDIR-nooffset']?.reason).toMatch(/header cannot be parsed/);
    expect(summary.studies.map((s) => s.patientId).sort()).toEqual(
      ['12345678', '77654033', '77654033', '98890234', '98890234', '98890234', '98890234'],
    );
  });

  it('gives a file the medium holds as a symbolic link an outcome: not followed, with why', () => {
    const media = join(tempDir(), 'media');
    cpSync(join(pydicomTestFiles, 'dicomdirtests'), media, { recursive: true });
    const linked = '98892003/MR700/4648';
    rmSync(join(media, linked));
    symlinkSync(join(pydicomTestFiles, 'dicomdirtests', linked), join(media, linked));
    const library = tempDir();
    const summary = concordJson<ImportSummary>(['import', media, '--library', library]);
    expect(summary.filesSeen).toBe(91);
    expect(Object.values(summary.counts).reduce((a, b) => a + b, 0)).toBe(91);
    expect(summary.counts).toMatchObject({ imported: 80, missing: 0, unreadable: 2 });
    const outcome = outcomesByPath(library, summary.sessionId)[linked];
    expect(outcome?.outcome).toBe('unreadable');
    expect(outcome?.reason).toMatch(/^a symbolic link: not followed/);
  });

  it('gives every test file, broken ones included, one outcome with a reason', () => {
    const library = tempDir();
    const summary = concordJson<ImportSummary>(['import', pydicomTestFiles, '--library', library]);
    expect(summary.filesSeen).toBe(165);
    expect(summary.counts).toEqual({
      imported: 113,
      'already-present': 10,
      conflict: 16,
      'media-directory': 7,
      missing: 0,
      'not-dicom': 9,
      truncated: 3,
      unreadable: 1,
      'no-sop-instance-uid': 6,
      unfiled: 0,
    });
    const outcomes = outcomesByPath(library, summary.sessionId);
    expect(Object.keys(outcomes)).toHaveLength(165);
    const expectOutcome = (path: string, outcome: FileOutcome, reason?: RegExp): void => {
      expect({ path, outcome: outcomes[path]?.outcome }).toEqual({ path, outcome });
      if (reason) {
        expect(outcomes[path]?.reason).toMatch(reason);
      }
    };
    expectOutcome('MR_truncated.dcm', 'truncated', /\(7FE0,0010\) at byte 1500 runs past the end of the file/);
    expectOutcome('rtplan_truncated.dcm', 'truncated', /\(300A,00B0\).*runs past the end of the file/);
    expectOutcome('zipMR.gz', 'not-dicom', /no DICM prefix/);
    expectOutcome('README.txt', 'not-dicom');
    expectOutcome('priv_SQ.dcm', 'no-sop-instance-uid', /\(0008,0018\)/);
    // Files without preamble or meta information, big endian, deflated: all real instances.
    expectOutcome('ExplVR_BigEndNoMeta.dcm', 'imported');
    expectOutcome('ExplVR_BigEnd.dcm', 'imported');
    expectOutcome('image_dfl.dcm', 'imported');
    expectOutcome('badVR.dcm', 'imported');
    // The same MR image in other transfer syntaxes is the same dataset: already present, not a conflict.
    for (const variant of ['MR_small_implicit.dcm', 'MR_small_bigendian.dcm', 'MR_small_RLE.dcm', 'MR_small_jpeg_ls_lossless.dcm']) {
      expectOutcome(variant, 'already-present', /only the file meta information or transfer syntax differs/);
    }
    expectOutcome('ExplVR_LitEndNoMeta.dcm', 'already-present');
    // Same UID, different pixels: kept aside and reported, never merged.
    expectOutcome('MR_small_padded.dcm', 'conflict', /\(7FE0,0010\)/);
    // Non-image objects are imported and marked.
    expectOutcome('rtplan.dcm', 'imported', /does not display this radiotherapy object/);
    expectOutcome('waveform_ecg.dcm', 'imported', /waveform/);
    expect(summary.nonImageInstances.length).toBeGreaterThanOrEqual(5);

    const db = openIndex(library);
    try {
      expect(count(db, 'SELECT count(*) AS n FROM instances')).toBe(113);
      expect(count(db, 'SELECT count(*) AS n FROM instance_conflicts')).toBe(16);
      expect(count(db, "SELECT count(*) AS n FROM instances WHERE sop_instance_uid = ''")).toBe(0);
    } finally {
      db.close();
    }
  });
});
