import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DataSet } from 'dicom-parser';

export interface DirectoryReference {
  /** The Referenced File ID as written, components joined with '/'. */
  fileId: string;
  /** Resolved against the folder on disk, ignoring case; null when no such file exists. */
  resolvedPath: string | null;
  recordType: string;
  referencedSopInstanceUid: string;
}

export interface DirectoryContents {
  records: number;
  references: DirectoryReference[];
}

function text(dataSet: DataSet, tag: string): string {
  return (dataSet.string(tag) ?? '').trim();
}

/**
 * Finds a path case-insensitively, one component at a time: CDs written on one system and read on
 * another disagree on case, and some writers use '/' where the standard says '\'.
 */
export class CaseInsensitiveResolver {
  private readonly listings = new Map<string, Map<string, string> | null>();

  private listing(folder: string): Map<string, string> | null {
    if (!this.listings.has(folder)) {
      try {
        const map = new Map<string, string>();
        for (const name of readdirSync(folder)) {
          const key = name.toUpperCase();
          if (!map.has(key) || name === key) {
            map.set(key, name);
          }
        }
        this.listings.set(folder, map);
      } catch {
        this.listings.set(folder, null);
      }
    }
    return this.listings.get(folder) ?? null;
  }

  resolve(base: string, components: readonly string[]): string | null {
    let current = base;
    for (const component of components) {
      if (component === '' || component === '.' || component === '..') {
        return null;
      }
      const name = this.listing(current)?.get(component.toUpperCase());
      if (!name) {
        return null;
      }
      current = join(current, name);
    }
    return current;
  }
}

interface DirectoryRecord {
  fileId: string;
  recordType: string;
  referencedSopInstanceUid: string;
}

function resolveRecords(records: DirectoryRecord[], total: number, dicomdirPath: string, resolver: CaseInsensitiveResolver): DirectoryContents {
  const references: DirectoryReference[] = [];
  for (const record of records) {
    const components = record.fileId
      .split(/[\\/]/)
      .map((part) => part.replace(/\0/g, '').trim())
      .filter((part) => part.length > 0);
    if (components.length === 0) {
      continue;
    }
    references.push({
      fileId: components.join('/'),
      resolvedPath: resolver.resolve(dirname(dicomdirPath), components),
      recordType: record.recordType,
      referencedSopInstanceUid: record.referencedSopInstanceUid,
    });
  }
  return { records: total, references };
}

/** Reads the directory records of a DICOMDIR parsed by dicom-parser and resolves every file it references. */
export function readDirectory(dataSet: DataSet, dicomdirPath: string, resolver: CaseInsensitiveResolver): DirectoryContents {
  const items = dataSet.elements.x00041220?.items ?? [];
  const records: DirectoryRecord[] = [];
  for (const item of items) {
    const record = item.dataSet;
    const fileId = record?.string('x00041500');
    if (record && fileId) {
      records.push({ fileId, recordType: text(record, 'x00041430'), referencedSopInstanceUid: text(record, 'x00041511') });
    }
  }
  return resolveRecords(records, items.length, dicomdirPath, resolver);
}
