import { statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, resolve } from 'node:path';

/**
 * What to import when the OS hands Concord a path (double-click, "Open with", a drop, the command line):
 * a DICOMDIR means its whole medium (the folder it sits in), a .dcm file itself, a folder itself.
 * Anything else is not for Concord: null.
 */
export function importTargetOf(path: string): string | null {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return null;
  }
  if (stats.isDirectory()) {
    return path;
  }
  if (!stats.isFile()) {
    return null;
  }
  if (basename(path).toUpperCase() === 'DICOMDIR') {
    return dirname(path);
  }
  return extname(path).toLowerCase() === '.dcm' ? path : null;
}

/**
 * The import targets on a command line (first launch, or a second instance's): arguments after the
 * app's own that are paths, never switches (Chromium's and Electron's start with "-").
 */
export function importTargetsInArgv(argv: readonly string[], workingDirectory: string, firstUserArgument: number): string[] {
  return argv
    .slice(firstUserArgument)
    .filter((argument) => argument !== '' && !argument.startsWith('-'))
    .map((argument) => importTargetOf(isAbsolute(argument) ? argument : resolve(workingDirectory, argument)))
    .filter((target): target is string => target !== null);
}
