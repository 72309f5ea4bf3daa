import { realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

/** Why a requested path was not served: refused (it tries to leave its folder) or simply absent. */
export class PathRefusedError extends Error {
  constructor(
    readonly reason: 'refused' | 'not-found',
    message: string,
  ) {
    super(message);
    this.name = 'PathRefusedError';
  }
}

// Percent-encoded separators, dots and NUL: a request that needs them is trying to smuggle a path.
const ENCODED_TRICKS = /%(2f|5c|2e|00)/i;

/**
 * The real path of a file named by a URL path under `root`, or a PathRefusedError. Refuses traversal
 * (`..`), absolute paths and drive letters, backslashes, encoded separators and dots, NUL, and any
 * symbolic link that resolves outside the folder (checked on the real paths, after every link).
 */
export function resolveConfinedFile(root: string, urlPath: string): string {
  if (ENCODED_TRICKS.test(urlPath)) {
    throw new PathRefusedError('refused', 'encoded separators, dots and NUL are not allowed in a path');
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    throw new PathRefusedError('refused', 'malformed percent-encoding');
  }
  const relative = decoded.startsWith('/') ? decoded.slice(1) : decoded;
  if (relative.includes('\0') || relative.includes('\\') || relative.startsWith('/') || /^[A-Za-z]:/.test(relative)) {
    throw new PathRefusedError('refused', 'absolute paths, drive letters, backslashes and NUL are not allowed');
  }
  const segments = relative.split('/');
  if (segments.some((segment) => segment === '..' || segment === '.')) {
    throw new PathRefusedError('refused', 'path traversal is not allowed');
  }
  let realRoot: string;
  let realFile: string;
  try {
    realRoot = realpathSync(root);
    realFile = realpathSync(join(realRoot, ...segments));
  } catch {
    throw new PathRefusedError('not-found', 'no such file');
  }
  if (!realFile.startsWith(realRoot + sep)) {
    throw new PathRefusedError('refused', 'the path leaves its folder (a symbolic link points outside)');
  }
  if (!statSync(realFile).isFile()) {
    throw new PathRefusedError('not-found', 'not a file');
  }
  return realFile;
}
