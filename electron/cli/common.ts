import { openLibrary } from '../services/library/database.ts';
import type { Library } from '../services/library/database.ts';
import { resolveLibraryDirectory } from '../services/library/paths.ts';
import { LibraryReadOnlyError, isReadOnlyWrite } from '../services/library/write-refusals.ts';

export type Output = { out: (text: string) => void; err: (text: string) => void };

/** A command used wrongly: exit status 2 and the command's help. */
export class UsageError extends Error {}

/**
 * Opens the library a command names (`--library`, else the per-user one), runs `work` on it, and
 * always closes it: when `work` returns a promise, once that promise has settled. A library that
 * cannot be written is opened for viewing, with a note on standard error; a write to it is refused
 * naming the folder and the reason, not with SQLite's bare words.
 */
export function withLibrary<T>(option: string | undefined, work: (library: Library, libraryRoot: string) => T): T {
  const libraryRoot = resolveLibraryDirectory(option);
  const library = openLibrary(libraryRoot);
  if (library.readOnly !== null) {
    process.stderr.write(`concord: note: the library at ${libraryRoot} is read-only (${library.readOnly}); opened for viewing only\n`);
  }
  const refusal = (error: unknown): unknown =>
    library.readOnly !== null && isReadOnlyWrite(error) ? new LibraryReadOnlyError(libraryRoot, library.readOnly) : error;
  let result: T;
  try {
    result = work(library, libraryRoot);
  } catch (error) {
    library.close();
    throw refusal(error);
  }
  if (result instanceof Promise) {
    return result.then(
      (value: unknown) => value,
      (error: unknown) => {
        throw refusal(error);
      },
    ).finally(() => library.close()) as T;
  }
  library.close();
  return result;
}
