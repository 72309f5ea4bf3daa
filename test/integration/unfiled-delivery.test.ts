import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { libraryPaths } from '../../electron/services/library/paths.ts';
import { ObjectStore } from '../../electron/services/store/object-store.ts';
import { createWorkstation } from '../../electron/services/workstation/workstation.ts';
import { concordJson } from '../support/cli.ts';
import { corpus, haveCorpus, haveTool } from '../support/environment.ts';
import { cleanupTempDirs, openIndex, tempDir } from '../support/library.ts';

afterAll(cleanupTempDirs);

const available = haveCorpus() && haveTool('dcmodify', 'dcmtk') && haveTool('dcmconv', 'dcmtk');

/** The dataset as dcmtk reads it, without meta information or comments: what a reader sees. */
function datasetDump(file: string): string {
  const dump = execFileSync('dcmdump', ['+L', '-q', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return dump
    .slice(dump.indexOf('# Dicom-Data-Set'))
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n');
}

/** The CD's MRI image in several encodings (dcmconv), and an RLE image, each without study and series. */
const VARIANTS: { name: string; source: () => string; convert: string | null }[] = [
  { name: 'explicit little endian', source: () => corpus('03-breast-patient-cd-mr-us-mimbcd', 'IMAGES', 'IM10'), convert: null },
  { name: 'implicit little endian', source: () => corpus('03-breast-patient-cd-mr-us-mimbcd', 'IMAGES', 'IM10'), convert: '+ti' },
  { name: 'explicit big endian', source: () => corpus('03-breast-patient-cd-mr-us-mimbcd', 'IMAGES', 'IM10'), convert: '+tb' },
  { name: 'deflated', source: () => corpus('03-breast-patient-cd-mr-us-mimbcd', 'IMAGES', 'IM10'), convert: '+td' },
  { name: 'RLE (encapsulated)', source: () => corpus('08-transfer-syntaxes', 'WG04_MR1_RLE.dcm'), convert: null },
];

describe.skipIf(!available)('a filed instance as the viewer gets it', () => {
  for (const [index, variant] of VARIANTS.entries()) {
    it(`carries the UIDs it was filed under, the stored file unchanged (${variant.name})`, async () => {
      const media = tempDir();
      const file = join(media, 'UNFILED');
      if (variant.convert) {
        execFileSync('dcmconv', [variant.convert, variant.source(), file], { stdio: 'ignore' });
      } else {
        cpSync(variant.source(), file);
      }
      const sop = `2.25.60606060606060606060${index}`;
      execFileSync('dcmodify', ['-nb', '-ea', '(0020,000D)', '-ea', '(0020,000E)', '-i', `(0008,0018)=${sop}`, file], { stdio: 'ignore' });
      const received = readFileSync(file);
      const library = tempDir();
      concordJson(['import', media, '--library', library]);
      const filed = concordJson<{ filed: { studyInstanceUid: string; seriesInstanceUid: string } }>(['file', sop, '--new-study', '--library', library]).filed;

      const workstation = createWorkstation(library, new URL('file:///no-import-worker-needed'));
      let delivered: Buffer | null;
      try {
        delivered = workstation.instanceBytes(sop);
      } finally {
        await workstation.close();
      }
      expect(delivered).not.toBeNull();
      const deliveredFile = join(media, 'delivered.dcm');
      writeFileSync(deliveredFile, delivered as Buffer);

      // The reference: the received file with the filed UIDs set by dcmtk.
      const reference = join(media, 'reference.dcm');
      cpSync(file, reference);
      execFileSync('dcmodify', ['-nb', '-i', `(0020,000D)=${filed.studyInstanceUid}`, '-i', `(0020,000E)=${filed.seriesInstanceUid}`, reference], {
        stdio: 'ignore',
      });
      expect(datasetDump(deliveredFile)).toBe(datasetDump(reference));
      expect(datasetDump(deliveredFile)).toContain(`[${filed.studyInstanceUid}]`);

      // The store keeps the file as received.
      const db = openIndex(library);
      const key = (db.prepare('SELECT store_key AS key FROM instances WHERE sop_instance_uid = ?').get(sop) as { key: string }).key;
      db.close();
      const stored = readFileSync(new ObjectStore(libraryPaths(library).store).objectPath(key));
      expect(createHash('sha256').update(stored).digest('hex')).toBe(createHash('sha256').update(received).digest('hex'));
      expect(datasetDump(file)).not.toContain('(0020,000d)');
    });
  }
});
