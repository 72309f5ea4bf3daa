// Builds test media from real files: copies of a source tree whose study, series and instance UIDs are
// replaced, in place and at the same length, so every copy is a new set of instances. Runs under plain
// Node (type stripping) for the benchmarks as well as under Vitest.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import dicomParser from 'dicom-parser';

const UID_TAGS = ['x00020003', 'x00080018', 'x0020000d', 'x0020000e'];

/** A UID of exactly `length` characters derived from the old one and a salt. */
export function replacementUid(old: string, salt: string, length: number): string {
  const digest = BigInt(`0x${createHash('sha256').update(`${old}|${salt}`).digest('hex')}`).toString();
  const body = `2.25.${(digest.replace(/^0+/, '') + digest).slice(0, Math.max(1, length - 5))}`;
  return body.slice(0, length);
}

/** Rewrites the UIDs of one DICOM file's bytes; returns null when the file is not Part 10 DICOM. */
export function rewriteUids(bytes: Buffer, salt: string): Buffer | null {
  let dataSet;
  try {
    dataSet = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' });
  } catch {
    return null;
  }
  const out = Buffer.from(bytes);
  for (const tag of UID_TAGS) {
    const element = dataSet.elements[tag];
    if (!element || element.length < 8) {
      continue;
    }
    const raw = out.toString('latin1', element.dataOffset, element.dataOffset + element.length);
    const value = raw.replace(/\0+$/, '');
    const fresh = replacementUid(value, salt, value.length);
    out.write(fresh, element.dataOffset, 'latin1');
  }
  return out;
}

function listFiles(root: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) {
      files.push(...listFiles(path));
    } else if (entry.isFile()) {
      files.push(path);
    }
  }
  return files.sort();
}

export interface BuiltMedia {
  root: string;
  files: number;
  dicomFiles: number;
  bytes: number;
}

/**
 * Writes `copies` copies of `source` under `target/copy-NNN/`, each with its own UIDs. Non-DICOM files
 * (manifests, readmes) are copied as they are, as on real media.
 */
export function buildMedia(source: string, target: string, copies: number, saltPrefix = 'concord-test'): BuiltMedia {
  let files = 0;
  let dicomFiles = 0;
  let bytes = 0;
  const sources = listFiles(source);
  for (let copy = 0; copy < copies; copy += 1) {
    const salt = `${saltPrefix}-${copy}`;
    for (const path of sources) {
      const original = readFileSync(path);
      const rewritten = rewriteUids(original, salt);
      const destination = join(target, `copy-${String(copy).padStart(3, '0')}`, relative(source, path));
      mkdirSync(dirname(destination), { recursive: true });
      writeFileSync(destination, rewritten ?? original);
      files += 1;
      dicomFiles += rewritten ? 1 : 0;
      bytes += statSync(destination).size;
    }
  }
  return { root: target, files, dicomFiles, bytes };
}
