import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, parse, resolve, sep } from 'node:path';
import { SURVEY_FILE_LIMIT } from '../../../shared/import/source-survey.ts';
import type { SourceSurvey } from '../../../shared/import/source-survey.ts';

/** Whether `folder` is `home`, a folder above it, or a file system root. */
function isHomeOrAbove(folder: string, home: string): boolean {
  const target = resolve(folder);
  const own = resolve(home);
  return target === parse(target).root || target === own || own.startsWith(target.endsWith(sep) ? target : `${target}${sep}`);
}

/**
 * A cheap pre-scan of an import source (already checked by checkImportSource): counts its files up to
 * SURVEY_FILE_LIMIT, breadth first, and looks for a DICOMDIR at the top or one folder down. Folders
 * that cannot be listed are passed over: the import itself reports them.
 */
export function surveySource(path: string, home: string = homedir()): SourceSurvey {
  const stat = statSync(path);
  if (!stat.isDirectory()) {
    return { path, kind: 'file', filesCounted: 1, countStopped: false, hasDicomdir: false, homeOrAbove: false };
  }
  let filesCounted = 0;
  let hasDicomdir = false;
  const queue: { folder: string; depth: number }[] = [{ folder: path, depth: 0 }];
  while (queue.length > 0 && filesCounted < SURVEY_FILE_LIMIT) {
    const { folder, depth } = queue.shift() as { folder: string; depth: number };
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) {
        queue.push({ folder: join(folder, entry.name), depth: depth + 1 });
      } else if (entry.isFile()) {
        filesCounted += 1;
        hasDicomdir ||= depth <= 1 && /^dicomdir$/i.test(entry.name);
      }
    }
  }
  return {
    path,
    kind: 'folder',
    filesCounted: Math.min(filesCounted, SURVEY_FILE_LIMIT),
    countStopped: filesCounted >= SURVEY_FILE_LIMIT,
    hasDicomdir,
    homeOrAbove: isHomeOrAbove(path, home),
  };
}
