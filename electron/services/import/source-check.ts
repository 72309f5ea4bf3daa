import { closeSync, openSync, opendirSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import type { ImportSourceErrorCode } from '../../../shared/api/errors.ts';

/**
 * Why an import cannot start, before any file is read: a typed code the callers (the API, the command
 * line) pass on as they are, and a sentence that names the path and what to do.
 */
export class ImportSourceError extends Error {
  constructor(
    readonly code: ImportSourceErrorCode,
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'ImportSourceError';
  }
}

/** Errors that mean the drive or disc did not answer, rather than that the path is wrong. */
const DEVICE_CODES = new Set(['EIO', 'ENXIO', 'ENODEV', 'ENOMEDIUM', 'ESTALE']);

/** Turns the error from looking at `path` into the problem a person can act on. */
export function sourceErrorFrom(path: string, error: NodeJS.ErrnoException): ImportSourceError {
  const code = error.code ?? '';
  if (code === 'ENOENT') {
    return new ImportSourceError('source-not-found', path, `There is no file or folder at ${path}: check the path (is the disc or drive mounted?)`);
  }
  if (code === 'ENOTDIR') {
    return new ImportSourceError('source-not-found', path, `There is no file or folder at ${path}: a part of the path is a file, not a folder`);
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new ImportSourceError('source-unreadable', path, `${path} cannot be read: permission denied (${code})`);
  }
  if (DEVICE_CODES.has(code)) {
    return new ImportSourceError('source-unreadable', path, `${path} cannot be read: the drive did not answer (${code}); is the disc in the drive?`);
  }
  if (code === 'ELOOP') {
    return new ImportSourceError('source-unreadable', path, `${path} cannot be read: its symbolic links loop (ELOOP)`);
  }
  return new ImportSourceError('source-unreadable', path, `${path} cannot be read: ${error.message}`);
}

function kindOfSpecialFile(stat: Stats): string {
  if (stat.isFIFO()) {
    return 'a named pipe (FIFO)';
  }
  if (stat.isSocket()) {
    return 'a socket';
  }
  if (stat.isBlockDevice() || stat.isCharacterDevice()) {
    return 'a device, not its mounted file system';
  }
  return 'neither a folder nor a file';
}

/**
 * Checks that `path` (absolute) is a folder that can be listed or a file that can be opened, and says
 * which; otherwise throws an ImportSourceError. Pipes and devices are refused before they are opened:
 * reading a pipe would wait for a writer that never comes.
 */
export function checkImportSource(path: string): 'folder' | 'file' {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch (error) {
    throw sourceErrorFrom(path, error as NodeJS.ErrnoException);
  }
  try {
    if (stat.isDirectory()) {
      opendirSync(path).closeSync();
      return 'folder';
    }
    if (stat.isFile()) {
      closeSync(openSync(path, 'r'));
      return 'file';
    }
  } catch (error) {
    throw sourceErrorFrom(path, error as NodeJS.ErrnoException);
  }
  throw new ImportSourceError(
    'source-unreadable',
    path,
    `${path} is ${kindOfSpecialFile(stat)}: only a folder, a drive's mount point or a file can be imported`,
  );
}
