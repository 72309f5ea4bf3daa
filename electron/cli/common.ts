import { openLibrary } from '../services/library/database.ts';
import type { Library } from '../services/library/database.ts';
import { resolveLibraryDirectory } from '../services/library/paths.ts';

export type Output = { out: (text: string) => void; err: (text: string) => void };

/** A command used wrongly: exit status 2 and the command's help. */
export class UsageError extends Error {}

/**
 * Opens the library a command names (`--library`, else the per-user one), runs `work` on it, and
 * always closes it: when `work` returns a promise, once that promise has settled.
 */
export function withLibrary<T>(option: string | undefined, work: (library: Library, libraryRoot: string) => T): T {
  const libraryRoot = resolveLibraryDirectory(option);
  const library = openLibrary(libraryRoot);
  let result: T;
  try {
    result = work(library, libraryRoot);
  } catch (error) {
    library.close();
    throw error;
  }
  if (result instanceof Promise) {
    return result.finally(() => library.close()) as T;
  }
  library.close();
  return result;
}
