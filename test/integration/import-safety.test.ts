import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../shared/import/outcomes.ts';
import { concord, concordJson } from '../support/cli.ts';
import { corpus, haveCorpus, haveTool } from '../support/environment.ts';
import { cleanupTempDirs, count, openIndex, tempDir } from '../support/library.ts';

afterAll(cleanupTempDirs);

const available = haveCorpus() && haveTool('dcmodify', 'dcmtk');
const CD_IMAGE = (): string => corpus('03-breast-patient-cd-mr-us-mimbcd', 'IMAGES', 'IM10');

function edited(name: string, edits: Record<string, string>): string {
  const folder = tempDir();
  const file = join(folder, name);
  cpSync(CD_IMAGE(), file);
  const args = ['-nb'];
  for (const [tag, value] of Object.entries(edits)) {
    args.push('-i', `${tag}=${value}`);
  }
  execFileSync('dcmodify', [...args, file], { stdio: 'ignore' });
  return folder;
}

describe.skipIf(!available)('never the wrong patient', () => {
  it('keeps aside an instance whose Series Instance UID belongs to another patient\'s study', () => {
    const library = tempDir();
    concordJson(['import', corpus('03-breast-patient-cd-mr-us-mimbcd'), '--library', library]);
    // Another patient, another study, another instance, but the series UID of the CD's MRI.
    const media = edited('OTHER', { '(0010,0010)': 'OTHER^PATIENT', '(0010,0020)': 'X999', '(0020,000D)': '1.2.3.4.5.6.7.1', '(0008,0018)': '1.2.3.4.5.6.7.2' });
    const summary = concordJson<ImportSummary>(['import', media, '--library', library]);
    expect(summary.counts).toMatchObject({ imported: 0, conflict: 1 });
    expect(summary.conflicts[0]?.reason).toMatch(/kept aside, not indexed: its Series Instance UID already belongs to another study/);
    const db = openIndex(library);
    try {
      expect(count(db, "SELECT count(*) AS n FROM instances WHERE sop_instance_uid = '1.2.3.4.5.6.7.2'")).toBe(0);
      expect(count(db, "SELECT count(*) AS n FROM instance_conflicts WHERE conflict_kind = 'series-of-other-study'")).toBe(1);
      expect(count(db, "SELECT count(*) AS n FROM patients WHERE patient_name = 'OTHER^PATIENT'")).toBe(0);
    } finally {
      db.close();
    }
    expect(JSON.parse(concord(['verify', '--library', library, '--json']).stdout)).toMatchObject({ ok: true, conflictsChecked: 1 });
  });

  it('keeps aside an instance whose Study Instance UID belongs to another patient', () => {
    const library = tempDir();
    concordJson(['import', corpus('03-breast-patient-cd-mr-us-mimbcd'), '--library', library]);
    const media = edited('RENAMED', { '(0010,0010)': 'SOMEONE^ELSE', '(0020,000E)': '1.2.3.4.5.6.8.1', '(0008,0018)': '1.2.3.4.5.6.8.2' });
    const summary = concordJson<ImportSummary>(['import', media, '--library', library]);
    expect(summary.counts).toMatchObject({ imported: 0, conflict: 1 });
    expect(summary.conflicts[0]?.reason).toMatch(/Study Instance UID is already in the library for another patient/);
    const db = openIndex(library);
    try {
      expect(count(db, "SELECT count(*) AS n FROM patients WHERE patient_name = 'SOMEONE^ELSE'")).toBe(0);
      expect(count(db, "SELECT count(*) AS n FROM instance_conflicts WHERE conflict_kind = 'study-of-other-patient'")).toBe(1);
    } finally {
      db.close();
    }
  });

  it('never guesses a study for an instance without Study Instance UID: it is stored as unfiled, in no study', () => {
    const library = tempDir();
    const media = edited('NOSTUDY', { '(0020,000D)': '', '(0008,0018)': '1.2.3.4.5.6.9.1' });
    const summary = concordJson<ImportSummary>(['import', media, '--library', library]);
    expect(summary.counts).toMatchObject({ imported: 0, unreadable: 0, unfiled: 1 });
    expect(summary.unfiled[0]?.reason).toMatch(/no Study Instance UID \(0020,000D\)/);
    expect(summary.studies).toEqual([]);
    const db = openIndex(library);
    try {
      expect(count(db, 'SELECT count(*) AS n FROM studies')).toBe(0);
      expect(count(db, "SELECT count(*) AS n FROM unfiled_instances WHERE sop_instance_uid = '1.2.3.4.5.6.9.1'")).toBe(1);
    } finally {
      db.close();
    }
  });
});

describe.skipIf(!available)('hostile and damaged files', () => {
  it('refuses a deflate bomb without inflating it whole', () => {
    const media = tempDir();
    const meta = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM')]);
    const uid = Buffer.from('1.2.840.10008.1.2.1.99\0', 'latin1');
    const tsElement = Buffer.alloc(8);
    tsElement.writeUInt16LE(0x0002, 0);
    tsElement.writeUInt16LE(0x0010, 2);
    tsElement.write('UI', 4, 'latin1');
    tsElement.writeUInt16LE(uid.length, 6);
    // 300 MB of zeros deflate to a few hundred kilobytes.
    const bomb = deflateRawSync(Buffer.alloc(300 * 1024 * 1024));
    writeFileSync(join(media, 'BOMB'), Buffer.concat([meta, tsElement, uid, bomb]));
    const library = tempDir();
    const summary = concordJson<ImportSummary>(['import', media, '--library', library]);
    expect(summary.counts).toMatchObject({ unreadable: 1, imported: 0 });
    expect(summary.problems[0]?.reason).toMatch(/inflates past \d+ bytes/);
  });

  it('imports an instance followed by a long run of zero padding', () => {
    const media = tempDir();
    const file = join(media, 'PADDED');
    cpSync(CD_IMAGE(), file);
    appendFileSync(file, Buffer.alloc(32 * 1024 * 1024));
    const summary = concordJson<ImportSummary>(['import', media, '--library', tempDir()]);
    expect(summary.counts).toMatchObject({ imported: 1 });
  });

  it('sees different pixels under the same UID even across transfer syntaxes', () => {
    const library = tempDir();
    concordJson(['import', corpus('03-breast-patient-cd-mr-us-mimbcd'), '--library', library]);
    const media = tempDir();
    const file = join(media, 'IM10-IMPLICIT');
    execFileSync('dcmconv', ['+ti', CD_IMAGE(), file], { stdio: 'ignore' });
    const bytes = readFileSync(file);
    // Pixel data is the last element: change its last sample.
    bytes[bytes.length - 2] = ((bytes[bytes.length - 2] as number) + 1) % 256;
    writeFileSync(file, bytes);
    const summary = concordJson<ImportSummary>(['import', media, '--library', library]);
    expect(summary.counts).toMatchObject({ conflict: 1, 'already-present': 0 });
    expect(summary.conflicts[0]?.reason).toMatch(/\(7FE0,0010\)/);
  });
});
