import { readdirSync, statSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';

export interface DiscoveredFile {
  absolutePath: string;
  /** Relative to the import root, forward slashes. */
  relativePath: string;
  size: number;
}

export interface Discovery {
  root: string;
  files: DiscoveredFile[];
  /** Folders that could not be listed, with the reason. */
  unreadableFolders: { relativePath: string; reason: string }[];
  /** Entries that are not regular files or folders (symbolic links, devices, pipes): not read, with why. */
  skipped: { relativePath: string; reason: string }[];
  totalBytes: number;
}

export function toRelative(root: string, absolutePath: string): string {
  const rel = relative(root, absolutePath);
  return (rel === '' ? basename(absolutePath) : rel).split(sep).join('/');
}

/**
 * Lists every regular file under `source` (or `source` itself when it is a file), sorted by path.
 * `onCount` hears the number of files found so far after each folder, so a long listing shows progress.
 */
export function discover(source: string, onCount?: (filesFound: number) => void): Discovery {
  const stat = statSync(source);
  if (stat.isFile()) {
    return {
      root: dirname(source),
      files: [{ absolutePath: source, relativePath: basename(source), size: stat.size }],
      unreadableFolders: [],
      skipped: [],
      totalBytes: stat.size,
    };
  }
  const files: DiscoveredFile[] = [];
  const unreadableFolders: Discovery['unreadableFolders'] = [];
  const skipped: Discovery['skipped'] = [];
  const pending = [source];
  while (pending.length > 0) {
    const folder = pending.pop() as string;
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      unreadableFolders.push({ relativePath: toRelative(source, folder), reason: (error as Error).message });
      continue;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        pending.push(path);
      } else if (entry.isFile()) {
        let size = 0;
        try {
          size = statSync(path).size;
        } catch {
          // Unreadable files are still listed; reading them later records why.
        }
        files.push({ absolutePath: path, relativePath: toRelative(source, path), size });
      } else {
        // Symbolic links and devices are not followed: media do not hold them, a link can lead off the
        // medium, and a link loop must not hang an import. Each is still accounted for, with why.
        skipped.push({ relativePath: toRelative(source, path), reason: skippedReason(entry) });
      }
    }
    onCount?.(files.length);
  }
  files.sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
  skipped.sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
  return { root: source, files, unreadableFolders, skipped, totalBytes: files.reduce((sum, f) => sum + f.size, 0) };
}

function skippedReason(entry: Dirent): string {
  if (entry.isSymbolicLink()) {
    return 'a symbolic link: not followed (a link can lead off the medium); copy the file it points to onto the medium';
  }
  return 'not a regular file (a device, pipe or socket): not read';
}

/** Whether a file name suggests a DICOMDIR (the header decides). */
export function looksLikeDicomdir(relativePath: string): boolean {
  return /^dicomdir/i.test(basename(relativePath));
}
