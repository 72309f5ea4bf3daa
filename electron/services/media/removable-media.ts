import { execFile } from 'node:child_process';
import { closeSync, existsSync, lstatSync, openSync, readFileSync, readSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** A mounted volume that holds DICOM: what Concord offers to import. */
export interface DicomVolume {
  path: string;
  label: string;
  /** Whether the volume has a DICOMDIR at its top (a standard DICOM CD). */
  hasDicomdir: boolean;
}

export interface MountScanOptions {
  platform: NodeJS.Platform;
  /** The user whose removable media Linux mounts under /media/<user> and /run/media/<user>. */
  username: string;
  /** Where the file system starts: '/' on a machine, a fixture folder in tests. */
  fileSystemRoot?: string;
  /** Windows: the roots of the drives present (for example `D:\`); injectable because no folder lists them. */
  listDrives?: () => string[];
}

/** The Windows drive roots present now, the system drive's letter range excepted (A: to C:). */
export function presentDriveRoots(): string[] {
  return [...'DEFGHIJKLMNOPQRSTUVWXYZ'].map((letter) => `${letter}:\\`).filter((root) => existsSync(root));
}

/** How deep and how wide the DICOM check looks: enough for CD layouts, never a walk of a whole disk. */
const SEARCH_DEPTH = 3;
const MAX_ENTRIES_LOOKED_AT = 400;
const PREAMBLE_BYTES = 132;

function entries(folder: string): string[] {
  try {
    return readdirSync(folder).sort();
  } catch {
    return [];
  }
}

/** A folder that is not a link: mount points are folders, and a link on media is never followed. */
function isRealFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The accounts of this system (from /etc/passwd): under a flat /media, a folder named after one holds a user's mounts. */
function accountNames(root: string): Set<string> {
  try {
    return new Set(readFileSync(join(root, 'etc', 'passwd'), 'utf8').split('\n').map((line) => line.split(':')[0] ?? '').filter(Boolean));
  } catch {
    return new Set();
  }
}

/** The mounted volumes where removable media appear on this platform (not yet checked for DICOM). */
export function mountedVolumes(options: MountScanOptions): Array<{ path: string; label: string }> {
  if (options.platform === 'win32') {
    // The system drive is never removable media.
    return (options.listDrives?.() ?? []).filter((root) => !/^C:\\?$/i.test(root)).map((root) => ({ path: root, label: root.replace(/\\$/, '') }));
  }
  const root = options.fileSystemRoot ?? '/';
  const parents =
    options.platform === 'darwin'
      ? [join(root, 'Volumes')]
      : [join(root, 'media', options.username), join(root, 'run', 'media', options.username), join(root, 'media')];
  const accounts = options.platform === 'darwin' ? new Set<string>() : accountNames(root);
  const volumes: Array<{ path: string; label: string }> = [];
  for (const parent of parents) {
    for (const name of entries(parent)) {
      const path = join(parent, name);
      // /media/<user> is the parent of a user's volumes, not a volume (this user's or another's);
      // macOS's boot volume is a link to /, which isRealFolder refuses.
      if (parent === join(root, 'media') && (name === options.username || accounts.has(name))) {
        continue;
      }
      if (isRealFolder(path) && !volumes.some((volume) => volume.path === path)) {
        volumes.push({ path, label: name });
      }
    }
  }
  return volumes;
}

/** Whether a file starts with the DICOM Part 10 preamble: 128 bytes, then "DICM". Reads 132 bytes, nothing more. */
export function hasDicomPreamble(path: string): boolean {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(path, 'r');
    const head = Buffer.alloc(PREAMBLE_BYTES);
    return readSync(descriptor, head, 0, PREAMBLE_BYTES, 0) === PREAMBLE_BYTES && head.toString('latin1', 128, 132) === 'DICM';
  } catch {
    return false;
  } finally {
    if (descriptor !== undefined) {
      closeSync(descriptor);
    }
  }
}

/**
 * Whether a volume holds DICOM: a DICOMDIR at its top, or a Part 10 file within the first few folder
 * levels. Only reads names and the first bytes of files; links are not followed and nothing is run.
 */
export function inspectVolume(path: string): { isDicom: boolean; hasDicomdir: boolean } {
  const top = entries(path);
  if (top.some((name) => name.toUpperCase() === 'DICOMDIR' && !isRealFolder(join(path, name)))) {
    return { isDicom: true, hasDicomdir: true };
  }
  let looked = 0;
  const queue: Array<{ folder: string; depth: number }> = [{ folder: path, depth: 0 }];
  while (queue.length > 0 && looked < MAX_ENTRIES_LOOKED_AT) {
    const { folder, depth } = queue.shift() as { folder: string; depth: number };
    for (const name of entries(folder)) {
      if (++looked > MAX_ENTRIES_LOOKED_AT) {
        break;
      }
      const child = join(folder, name);
      let stats;
      try {
        stats = lstatSync(child);
      } catch {
        continue;
      }
      if (stats.isFile() && hasDicomPreamble(child)) {
        return { isDicom: true, hasDicomdir: false };
      }
      if (stats.isDirectory() && depth + 1 < SEARCH_DEPTH) {
        queue.push({ folder: child, depth: depth + 1 });
      }
    }
  }
  return { isDicom: false, hasDicomdir: false };
}

/** The mounted volumes that hold DICOM. */
export function findDicomVolumes(options: MountScanOptions): DicomVolume[] {
  return mountedVolumes(options).flatMap((volume) => {
    const { isDicom, hasDicomdir } = inspectVolume(volume.path);
    return isDicom ? [{ ...volume, hasDicomdir }] : [];
  });
}

/**
 * Notices DICOM volumes as they appear: each `poll()` compares with the last one and reports volumes
 * that are new (a volume removed and inserted again is new again). The caller decides how often to poll.
 */
export class MediaWatcher {
  private known = new Set<string>();

  constructor(
    private readonly options: MountScanOptions,
    private readonly onInserted: (volume: DicomVolume) => void,
  ) {}

  /** Records what is mounted now without reporting it: media already present at start-up are not "inserted". */
  prime(): void {
    this.known = new Set(mountedVolumes(this.options).map((volume) => volume.path));
  }

  poll(): DicomVolume[] {
    const mounted = mountedVolumes(this.options);
    const inserted = mounted.filter((volume) => !this.known.has(volume.path));
    this.known = new Set(mounted.map((volume) => volume.path));
    const dicom = inserted.flatMap((volume) => {
      const { isDicom, hasDicomdir } = inspectVolume(volume.path);
      return isDicom ? [{ ...volume, hasDicomdir }] : [];
    });
    for (const volume of dicom) {
      this.onInserted(volume);
    }
    return dicom;
  }
}

/** The command that ejects a volume on this platform, as a program and its arguments (never a shell line), or null. */
export function ejectCommand(platform: NodeJS.Platform, volumePath: string): { file: string; args: string[] } | null {
  if (platform === 'darwin') {
    return { file: 'diskutil', args: ['eject', volumePath] };
  }
  if (platform === 'linux') {
    return { file: 'gio', args: ['mount', '--eject', volumePath] };
  }
  if (platform === 'win32') {
    // Only a bare drive letter reaches the script: nothing from the volume's name or the media.
    const drive = /^([D-Z]):\\?$/i.exec(volumePath)?.[1];
    if (!drive) {
      return null;
    }
    return {
      file: 'powershell.exe',
      args: ['-NoProfile', '-NonInteractive', '-Command', `(New-Object -ComObject Shell.Application).Namespace(17).ParseName('${drive.toUpperCase()}:').InvokeVerb('Eject')`],
    };
  }
  return null;
}

/** Ejects a volume where the platform allows; resolves false where it cannot (no command, or the command failed). */
export function ejectVolume(platform: NodeJS.Platform, volumePath: string, run: typeof execFile = execFile): Promise<boolean> {
  const command = ejectCommand(platform, volumePath);
  if (!command) {
    return Promise.resolve(false);
  }
  return new Promise((resolvePromise) => {
    run(command.file, command.args, { timeout: 30_000, shell: false }, (error) => resolvePromise(!error));
  });
}
