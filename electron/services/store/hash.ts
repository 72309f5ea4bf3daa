import { createHash } from 'node:crypto';

/** The store names every object by this hash of its bytes. */
export const HASH_ALGORITHM = 'sha256';

export function contentHash(bytes: Buffer): string {
  return createHash(HASH_ALGORITHM).update(bytes).digest('hex');
}
