import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportQuirk, ImportSummary } from '../../shared/import/outcomes.ts';
import { storedInstance } from '../../electron/services/library/studies.ts';
import { deliverableBytes } from '../../electron/services/store/delivery.ts';
import { concordJson } from '../support/cli.ts';
import {
  topLevelElements, withCommandGroup, withDuplicateUid, withOddLengthValue, withSequenceDelimiterEndingItem,
  withUnSequenceOfExplicitItems, withoutPixelDataDelimiter,
} from '../support/dicom-surgery.ts';
import { corpus, haveCorpus, haveTool, pydicomTestFiles, underCi } from '../support/environment.ts';
import { cleanupTempDirs, count, openIndex, tempDir } from '../support/library.ts';
import { referencePixels } from '../support/reference-pixels.ts';

/**
 * Files from the field that mature readers open and the importer once refused, made from corpus files
 * by byte surgery on copies: each is imported with a note naming its quirk, stored byte for byte as
 * made, and handed to the viewer as a repaired reading whose pixels are the unquirked original's.
 */
const available = haveCorpus() && haveTool('dcmdump', 'dcmtk') && haveTool('gdcmconv', 'libgdcm-tools');
afterAll(cleanupTempDirs);

const NATIVE_MR = (): string => corpus('03-breast-patient-cd-mr-us-mimbcd', 'IMAGES', 'IM0');
const JPEG_LOSSLESS_MR = (): string => corpus('08-transfer-syntaxes', 'WG04_MR1_JPLL.dcm');

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Debian's pydicom (python3-pydicom), which the tests ask whether a mature reader opens a file. */
const PYDICOM_PYTHON = '/usr/bin/python3';
function pydicomOpens(file: string): { opens: boolean; message: string } {
  const result = spawnSync(PYDICOM_PYTHON, ['-c', 'import sys, pydicom; pydicom.dcmread(sys.argv[1]); print("read")', file], {
    encoding: 'utf8',
  });
  return { opens: result.status === 0 && result.stdout.includes('read'), message: result.stderr };
}
const havePydicom = ((): boolean => {
  const present = spawnSync(PYDICOM_PYTHON, ['-c', 'import pydicom'], { stdio: 'ignore' }).status === 0;
  if (!present && underCi) {
    throw new Error(`CI requires pydicom (apt-get install python3-pydicom; its files at ${pydicomTestFiles})`);
  }
  return present;
})();

/** Whether dcmtk's dcmdump reads the file through, with the options given. */
function dcmtkReads(file: string, options: string[] = []): boolean {
  return spawnSync('dcmdump', ['-q', ...options, file], { stdio: 'ignore' }).status === 0;
}

interface Imported {
  library: string;
  summary: ImportSummary;
  file: string;
}

/** Writes the quirked copy into fresh media and imports it into a fresh library with the built command line. */
function importCopy(name: string, bytes: Buffer): Imported {
  const media = tempDir('concord-quirk-media-');
  mkdirSync(join(media, 'DICOM'));
  const file = join(media, 'DICOM', name);
  writeFileSync(file, bytes);
  const library = tempDir('concord-quirk-library-');
  const summary = concordJson<ImportSummary>(['import', media, '--library', library]);
  return { library, summary, file };
}

/** The stored object's bytes, read from the store by its recorded key, and the bytes the viewer is handed. */
function storedAndDelivered(library: string, sopInstanceUid: string): { stored: Buffer; delivered: Buffer } {
  const db = openIndex(library);
  try {
    const instance = storedInstance(db, sopInstanceUid);
    if (!instance) {
      throw new Error(`instance ${sopInstanceUid} is not in the library`);
    }
    const path = join(library, 'store', 'objects', instance.key.slice(0, 2), instance.key);
    return { stored: readFileSync(path), delivered: deliverableBytes(path, instance.transferSyntaxUid, instance.quirked) };
  } finally {
    db.close();
  }
}

/** Pixel values as dcmtk and gdcm decode them, from a file written into `dir`. */
function pixelsOf(bytes: Buffer, dir: string, name: string): Buffer {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  const pixels = referencePixels(file, dir).values as unknown as ArrayBufferView;
  return Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength);
}

function expectImportedWithNote(imported: Imported, quirk: ImportQuirk, source: Buffer, original: Buffer): Buffer {
  const { summary, library } = imported;
  expect(summary.counts.imported).toBe(1);
  expect(summary.problems).toEqual([]);
  expect(summary.quirked).toHaveLength(1);
  const record = summary.quirked[0];
  expect(record?.outcome).toBe('imported');
  expect(record?.notes.map((n) => n.quirk)).toContain(quirk);
  // The stored file is the file as received, byte for byte.
  const { stored, delivered } = storedAndDelivered(library, record?.sopInstanceUid ?? '');
  expect(sha256(stored)).toBe(sha256(source));
  // A standard reader (dcmtk, no recovery options) reads what the viewer is handed...
  const work = tempDir('concord-quirk-pixels-');
  const deliveredFile = join(work, 'delivered.dcm');
  writeFileSync(deliveredFile, delivered);
  expect(dcmtkReads(deliveredFile)).toBe(true);
  // ...and its pixels are the unquirked original's.
  expect(sha256(pixelsOf(delivered, work, 'delivered-pixels.dcm'))).toBe(sha256(pixelsOf(original, work, 'original-pixels.dcm')));
  return delivered;
}

describe.skipIf(!available)('importing files with the quirks real outside media carry', () => {
  it('reads encapsulated pixel data whose sequence delimiter is missing after the last whole fragment', () => {
    const original = readFileSync(JPEG_LOSSLESS_MR());
    const quirked = withoutPixelDataDelimiter(original);
    const imported = importCopy('NODELIM', quirked);
    expect(dcmtkReads(imported.file)).toBe(false); // dcmtk refuses it without its recovery option
    if (havePydicom) {
      expect(pydicomOpens(imported.file).opens).toBe(true);
    }
    const delivered = expectImportedWithNote(imported, 'pixel-data-delimiter-missing', quirked, original);
    // The viewer is handed the file with the delimiter appended: the original bytes exactly.
    expect(sha256(delivered)).toBe(sha256(original));
  });

  it('still calls a file cut inside its last fragment truncated', () => {
    const original = readFileSync(JPEG_LOSSLESS_MR());
    const { summary } = importCopy('CUT', original.subarray(0, original.length - 20));
    expect(summary.counts.truncated).toBe(1);
    expect(summary.counts.imported).toBe(0);
    expect(summary.problems[0]?.reason).toMatch(/\(7FE0,0010\).*runs past the end of the file/);
  });

  it('still calls a file cut inside a UN sequence of explicit items truncated', () => {
    const quirked = withUnSequenceOfExplicitItems(readFileSync(NATIVE_MR()));
    const unAt = quirked.indexOf(Buffer.from('VENDOR PROTOCOL ', 'latin1'));
    const { summary } = importCopy('CUTUN', quirked.subarray(0, unAt + 60));
    expect(summary.counts.truncated).toBe(1);
    expect(summary.counts.imported).toBe(0);
  });

  it('reads a vendor sequence written as UN of undefined length whose items are explicit VR', () => {
    const original = readFileSync(NATIVE_MR());
    const quirked = withUnSequenceOfExplicitItems(original);
    const imported = importCopy('UNSEQ', quirked);
    expect(dcmtkReads(imported.file)).toBe(false); // read as the standard says (implicit items), it fails
    expect(dcmtkReads(imported.file, ['-ui'])).toBe(true); // dcmtk's "undefined length UN as explicit VR"
    if (havePydicom) {
      expect(pydicomOpens(imported.file).opens).toBe(true);
    }
    const delivered = expectImportedWithNote(imported, 'un-sequence-explicit-items', quirked, original);
    // Handed out with the element declared SQ: same length, the vendor's items kept and readable.
    expect(delivered.length).toBe(quirked.length);
    const dump = execFileSync('dcmdump', ['-q', writeTemp(delivered)], { encoding: 'utf8' });
    expect(dump).toMatch(/\(0029,1010\) SQ/);
    expect(dump.match(/BREAST ROUTINE/g)).toHaveLength(2);
  });

  it('reads command group elements stored in the dataset, and leaves them out of what the viewer gets', () => {
    const original = readFileSync(NATIVE_MR());
    const quirked = withCommandGroup(original);
    const imported = importCopy('CMDGROUP', quirked);
    if (havePydicom) {
      expect(pydicomOpens(imported.file).opens).toBe(true);
    }
    expect(dcmtkReads(imported.file)).toBe(true);
    const delivered = expectImportedWithNote(imported, 'command-group-elements', quirked, original);
    expect(sha256(delivered)).toBe(sha256(original));
    expect(topLevelElements(delivered).some((e) => e.tag >>> 16 === 0)).toBe(false);
  });

  it('reads a sequence delimiter that closes an item, as dcmtk does with --replace-wrong-delim', () => {
    const original = readFileSync(JPEG_LOSSLESS_MR());
    const quirked = withSequenceDelimiterEndingItem(original);
    const imported = importCopy('SEQDELIM', quirked);
    expect(dcmtkReads(imported.file)).toBe(false);
    expect(dcmtkReads(imported.file, ['+rd'])).toBe(true);
    // pydicom 2.3 does not read this one ("No tag to read"); dcmtk with its option above does.
    const delivered = expectImportedWithNote(imported, 'sequence-delimiter-ends-item', quirked, original);
    expect(sha256(delivered)).toBe(sha256(original));
  });

  it('notes values of odd length and hands them to the viewer as they are', () => {
    const original = readFileSync(NATIVE_MR());
    const quirked = withOddLengthValue(original);
    const imported = importCopy('ODDLEN', quirked);
    if (havePydicom) {
      expect(pydicomOpens(imported.file).opens).toBe(true);
    }
    const delivered = expectImportedWithNote(imported, 'odd-value-length', quirked, original);
    expect(sha256(delivered)).toBe(sha256(quirked));
  });
});

describe.skipIf(!available)('instances whose identity is ambiguous', () => {
  it('keeps aside an instance with two different Study Instance UIDs, filed under neither', () => {
    const original = readFileSync(NATIVE_MR());
    const quirked = withDuplicateUid(original, 0x0020000d, '1.2.826.0.1.3680043.9.7133.1.1');
    const { summary, library } = importCopy('DUPSTUDY', quirked);
    expect(summary.counts.imported).toBe(0);
    expect(summary.counts.conflict).toBe(1);
    expect(summary.conflicts[0]?.reason).toMatch(/identity is ambiguous: Study Instance UID \(0020,000D\) appears twice with different values/);
    expect(summary.conflicts[0]?.reason).toContain('1.2.826.0.1.3680043.9.7133.1.1');
    expect(summary.studies).toEqual([]);
    const db = openIndex(library);
    try {
      expect(count(db, 'SELECT count(*) AS n FROM studies')).toBe(0);
      expect(count(db, 'SELECT count(*) AS n FROM instances')).toBe(0);
      const kept = db.prepare('SELECT conflict_kind AS kind, store_key AS key FROM instance_conflicts').all() as { kind: string; key: string }[];
      expect(kept).toEqual([{ kind: 'ambiguous-identity', key: sha256(quirked) }]);
      expect(sha256(readFileSync(join(library, 'store', 'objects', sha256(quirked).slice(0, 2), sha256(quirked))))).toBe(sha256(quirked));
    } finally {
      db.close();
    }
  });

  it('keeps aside an instance whose stray command group names another SOP Instance UID', () => {
    const quirked = withCommandGroup(readFileSync(NATIVE_MR()), '1.2.826.0.1.3680043.9.7133.1.2');
    const { summary } = importCopy('CMDOTHER', quirked);
    expect(summary.counts.imported).toBe(0);
    expect(summary.counts.conflict).toBe(1);
    expect(summary.conflicts[0]?.reason).toMatch(/Affected SOP Instance UID \(0000,1000\) is 1\.2\.826\.0\.1\.3680043\.9\.7133\.1\.2/);
    expect(summary.conflicts[0]?.notes.map((n) => n.quirk)).toEqual(['command-group-elements']);
  });

  it('imports the same instance twice stated with the same value, with a note', () => {
    const original = readFileSync(NATIVE_MR());
    const studyUid = /1\.2[0-9.]+/.exec(execFileSync('dcmdump', ['-q', '+P', '0020,000d', NATIVE_MR()], { encoding: 'utf8' }))?.[0] ?? '';
    const quirked = withDuplicateUid(original, 0x0020000d, studyUid);
    const { summary } = importCopy('DUPSAME', quirked);
    expect(summary.counts.imported).toBe(1);
    expect(summary.quirked[0]?.notes.map((n) => n.quirk)).toEqual(['duplicate-element']);
  });
});

function writeTemp(bytes: Buffer): string {
  const file = join(tempDir('concord-quirk-dump-'), 'file.dcm');
  writeFileSync(file, bytes);
  return file;
}
