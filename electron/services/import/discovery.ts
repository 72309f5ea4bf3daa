import { readdirSync, statSync } from 'node:fs';
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
      totalBytes: stat.size,
    };
  }
  const files: DiscoveredFile[] = [];
  const unreadableFolders: Discovery['unreadableFolders'] = [];
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
      }
      // Symbolic links and devices are not followed: media do not hold them, and a link loop must not hang an import.
    }
    onCount?.(files.length);
  }
  files.sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
  return { root: source, files, unreadableFolders, totalBytes: files.reduce((sum, f) => sum + f.size, 0) };
}

/** Whether a file name suggests a DICOMDIR (the header decides). */
export function looksLikeDicomdir(relativePath: string): boolean {
  return /^dicomdir/i.test(basename(relativePath));
}
