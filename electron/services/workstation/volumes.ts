import { readdirSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ApiError } from '../../../shared/api/errors.ts';
import type { FolderEntry, Volume } from '../../../shared/api/schemas.ts';
import { presentDriveRoots } from '../media/removable-media.ts';

/** Where removable media and mounted drives appear on each platform. */
function mountRoots(platform: NodeJS.Platform): string[] {
  if (platform === 'darwin') {
    return ['/Volumes'];
  }
  if (platform === 'win32') {
    return [];
  }
  let user = '';
  try {
    user = userInfo().username;
  } catch {
    // No user name (a service account): the shared mount points still apply.
  }
  return ['/media', user ? `/media/${user}` : '', user ? `/run/media/${user}` : '', '/mnt', '/cdrom'].filter(Boolean);
}

/** Mounted volumes the host can see (CD/DVD, USB sticks, network shares), plus the user's home. */
export function listVolumes(platform: NodeJS.Platform = process.platform): Volume[] {
  const volumes: Volume[] = [];
  if (platform === 'win32') {
    for (const root of presentDriveRoots()) {
      volumes.push({ path: root, label: `Drive ${root.slice(0, 2)}` });
    }
  } else {
    for (const root of mountRoots(platform)) {
      let names: string[];
      try {
        names = readdirSync(root);
      } catch {
        continue;
      }
      for (const name of names) {
        const path = join(root, name);
        try {
          if (statSync(path).isDirectory() && !volumes.some((v) => v.path === path)) {
            volumes.push({ path, label: name });
          }
        } catch {
          // A mount point that cannot be read is not offered.
        }
      }
    }
  }
  const home = process.env.HOME ?? process.env.USERPROFILE;
  if (home) {
    volumes.push({ path: home, label: 'Home folder' });
  }
  return volumes;
}

/**
 * A path typed into the app or the browser page, made absolute, or refused: a relative path there
 * would be taken from the server's working folder, which the person at the page neither sees nor
 * chose. (The command line, run from a shell, takes relative paths from the shell's folder.)
 */
export function absoluteSourcePath(path: string): string {
  if (!isAbsolute(path)) {
    const start = process.platform === 'win32' ? 'a drive letter, such as D:\\' : '/';
    const tilde = path.startsWith('~') ? ' (~ is not expanded here)' : '';
    throw new ApiError(
      'source-relative',
      `"${path}" is a relative path${tilde}: type the full path, starting with ${start}, or pick the folder with Browse`,
      { path },
    );
  }
  return resolve(path);
}

/**
 * The folders and files in a folder, for picking what to import. Names only: file contents are never
 * served this way.
 */
export function listFolder(path: string): { path: string; parent: string | null; entries: FolderEntry[] } {
  const folder = absoluteSourcePath(path);
  let names;
  try {
    names = readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new ApiError('not-found', `No folder ${folder}`);
    }
    throw new ApiError('forbidden', `Cannot list ${folder}: ${(error as Error).message}`);
  }
  const entries: FolderEntry[] = names
    .filter((entry) => entry.isDirectory() || entry.isFile())
    .map((entry): FolderEntry => ({ name: entry.name, path: join(folder, entry.name), kind: entry.isDirectory() ? 'folder' : 'file' }))
    .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'folder' ? -1 : 1));
  const parent = dirname(folder);
  return { path: folder, parent: parent === folder ? null : parent, entries };
}
