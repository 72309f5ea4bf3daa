import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../shared/import/outcomes.ts';
import { runImport } from '../../electron/services/import/importer.ts';
import { concord, concordJson } from '../support/cli.ts';
import { corpus, haveCorpus, haveTool } from '../support/environment.ts';
import { cleanupTempDirs, count, openIndex, tempDir } from '../support/library.ts';
import { rewriteUids } from '../support/media-builder.ts';

const available = haveCorpus();
afterAll(cleanupTempDirs);

const CD = '03-breast-patient-cd-mr-us-mimbcd';

function copyCd(): string {
  const media = join(tempDir(), 'CDROM');
  cpSync(corpus(CD), media, { recursive: true });
  return media;
}

describe.skipIf(!available)('outside media as they come', () => {
  it('resolves DICOMDIR file IDs whatever their case and separator, lists missing files, finds unlisted ones', () => {
    const media = copyCd();
    // Another system wrote the media in lower case; the DICOMDIR still says IMAGES\IM0 (here with '/').
    renameSync(join(media, 'IMAGES'), join(media, 'images'));
    for (const name of readdirSync(join(media, 'images'))) {
      renameSync(join(media, 'images', name), join(media, 'images', name.toLowerCase()));
    }
    const dicomdir = join(media, 'DICOMDIR');
    const bytes = readFileSync(dicomdir);
    writeFileSync(dicomdir, Buffer.from(bytes.toString('latin1').replaceAll('IMAGES\\', 'IMAGES/'), 'latin1'));
    rmSync(join(media, 'images', 'im5'));
    rmSync(join(media, 'images', 'im6'));
    const extra = rewriteUids(readFileSync(join(media, 'images', 'im7')), 'unlisted');
    expect(extra).not.toBeNull();
    writeFileSync(join(media, 'EXTRA0001'), extra as Buffer);

    const library = tempDir();
    const summary = concordJson<ImportSummary>(['import', media, '--library', library]);
    expect(summary.counts).toMatchObject({ imported: 144, missing: 2, 'media-directory': 1, 'not-dicom': 2 });
    const missing = summary.problems.filter((p) => p.outcome === 'missing');
    expect(missing.map((p) => p.path).sort()).toEqual(['IMAGES/IM5', 'IMAGES/IM6']);
    expect(missing[0]?.reason).toMatch(/listed in DICOMDIR .* but not on the media/);
  });

  it('imports a CD once: a second import finds everything already present and changes nothing', () => {
    const library = tempDir();
    const first = concordJson<ImportSummary>(['import', corpus(CD), '--library', library]);
    expect(first.counts.imported).toBe(145);
    const second = concordJson<ImportSummary>(['import', corpus(CD), '--library', library]);
    expect(second.counts).toMatchObject({ imported: 0, 'already-present': 145, conflict: 0 });
    const db = openIndex(library);
    try {
      expect(count(db, 'SELECT count(*) AS n FROM instances')).toBe(145);
      expect(count(db, 'SELECT count(*) AS n FROM studies')).toBe(2);
      expect(count(db, 'SELECT count(*) AS n FROM patients')).toBe(1);
    } finally {
      db.close();
    }
  });

  it('keeps a changed instance under a known SOP Instance UID aside as a conflict, never overwriting', () => {
    const library = tempDir();
    concordJson(['import', corpus(CD), '--library', library]);
    const media = join(tempDir(), 'second-cd');
    cpSync(join(corpus(CD), 'IMAGES', 'IM10'), join(media, 'IM10'));
    const bytes = readFileSync(join(media, 'IM10'));
    const at = bytes.indexOf('Anonymized33');
    expect(at).toBeGreaterThan(0);
    bytes.write('Anonymized99', at, 'latin1');
    writeFileSync(join(media, 'IM10'), bytes);

    const summary = concordJson<ImportSummary>(['import', media, '--library', library]);
    expect(summary.counts).toMatchObject({ conflict: 1, imported: 0, 'already-present': 0 });
    expect(summary.conflicts[0]?.reason).toMatch(/kept aside, not merged: differs from the library copy in .*\(0010,0010\)/);
    const db = openIndex(library);
    try {
      expect(count(db, "SELECT count(*) AS n FROM patients WHERE patient_name = 'Anonymized99'")).toBe(0);
      expect(count(db, 'SELECT count(*) AS n FROM instance_conflicts')).toBe(1);
    } finally {
      db.close();
    }
    const verify = concord(['verify', '--library', library, '--json']);
    expect(verify.status).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, instancesChecked: 145, conflictsChecked: 1 });
  });

  it.skipIf(!haveTool('dcmconv', 'dcmtk'))('counts the same instance in another transfer syntax as already present', () => {
    const library = tempDir();
    concordJson(['import', corpus(CD), '--library', library]);
    const media = tempDir();
    execFileSync('dcmconv', ['+ti', join(corpus(CD), 'IMAGES', 'IM20'), join(media, 'IM20-IMPLICIT')]);
    execFileSync('dcmconv', ['+tb', join(corpus(CD), 'IMAGES', 'IM21'), join(media, 'IM21-BIGENDIAN')]);
    const summary = concordJson<ImportSummary>(['import', media, '--library', library]);
    expect(summary.counts).toMatchObject({ 'already-present': 2, conflict: 0, imported: 0 });
  });

  it('copies large instances in the kernel and names them by the hash of the stored bytes', async () => {
    const library = tempDir();
    // Every file takes the large-instance path here.
    const summary = await runImport({ libraryRoot: library, source: corpus(CD), inMemoryLimit: 0 });
    expect(summary.counts).toMatchObject({ imported: 145, 'media-directory': 1, 'not-dicom': 2 });
    const verify = concord(['verify', '--library', library, '--json']);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, instancesChecked: 145 });
  });

  it('stops cleanly when the media is pulled mid-import, and a second run completes it', async () => {
    const media = copyCd();
    const library = tempDir();
    let pulled = false;
    const interrupted = await runImport({
      libraryRoot: library,
      source: media,
      batchFiles: 20,
      onProgress: (progress) => {
        if (!pulled && progress.instancesImported >= 40) {
          pulled = true;
          rmSync(media, { recursive: true, force: true });
        }
      },
    });
    expect(pulled).toBe(true);
    expect(interrupted.status).toBe('interrupted');
    expect(interrupted.statusReason).toMatch(/no longer|stopped being readable/);
    const imported = interrupted.counts.imported;
    expect(imported).toBeGreaterThanOrEqual(40);
    expect(imported).toBeLessThan(145);
    const mid = concord(['verify', '--library', library, '--json']);
    expect(JSON.parse(mid.stdout)).toMatchObject({ ok: true, instancesChecked: imported });

    cpSync(corpus(CD), media, { recursive: true });
    const rerun = await runImport({ libraryRoot: library, source: media });
    expect(rerun.status).toBe('completed');
    expect(rerun.counts.imported + rerun.counts['already-present']).toBe(145);
    expect(rerun.counts['already-present']).toBe(imported);
    const after = concord(['verify', '--library', library, '--json']);
    expect(JSON.parse(after.stdout)).toMatchObject({ ok: true, instancesChecked: 145 });
  });
});
