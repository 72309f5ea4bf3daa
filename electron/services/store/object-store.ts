import { createHash, randomBytes } from 'node:crypto';
import type { Hash } from 'node:crypto';
import {
  closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, writeSync,
} from 'node:fs';
import { join } from 'node:path';

/**
 * The managed image store: every instance exactly as received, named by the SHA-256 of its bytes.
 * Files arrive through a temporary name, are fsynced, then renamed into place, so a store file either
 * holds its whole content or does not exist.
 */
export const HASH_ALGORITHM = 'sha256';

export class PendingObject {
  private readonly hash: Hash = createHash(HASH_ALGORITHM);
  private fd: number | null;
  private written = 0;
  key: string | null = null;

  constructor(readonly tempPath: string) {
    this.fd = openSync(tempPath, 'wx', 0o644);
  }

  write(chunk: Buffer): void {
    if (this.fd === null) {
      throw new Error('write after seal');
    }
    this.hash.update(chunk);
    let offset = 0;
    while (offset < chunk.length) {
      offset += writeSync(this.fd, chunk, offset, chunk.length - offset);
    }
    this.written += chunk.length;
  }

  get size(): number {
    return this.written;
  }

  /** Ends the copy and returns the content hash. */
  finish(): string {
    this.key = this.hash.digest('hex');
    return this.key;
  }

  /** Makes the bytes durable and closes the file. */
  seal(): void {
    if (this.fd !== null) {
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = null;
    }
  }

  discard(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
    rmSync(this.tempPath, { force: true });
  }
}

export class ObjectStore {
  readonly objectsDir: string;
  readonly tempDir: string;

  constructor(readonly root: string) {
    this.objectsDir = join(root, 'objects');
    this.tempDir = join(root, 'tmp');
    mkdirSync(this.objectsDir, { recursive: true });
    mkdirSync(this.tempDir, { recursive: true });
  }

  objectPath(key: string): string {
    if (!/^[0-9a-f]{64}$/.test(key)) {
      throw new Error(`not a store key: ${key}`);
    }
    return join(this.objectsDir, key.slice(0, 2), key);
  }

  begin(): PendingObject {
    return new PendingObject(join(this.tempDir, `${randomBytes(12).toString('hex')}.part`));
  }

  /**
   * Moves sealed objects into place and makes the renames durable. An object already present
   * (same key, so the same bytes) is simply replaced by its identical copy.
   */
  publish(objects: readonly PendingObject[]): void {
    const shards = new Set<string>();
    for (const object of objects) {
      if (!object.key) {
        throw new Error('publish before finish');
      }
      const target = this.objectPath(object.key);
      const shard = join(this.objectsDir, object.key.slice(0, 2));
      if (!shards.has(shard)) {
        mkdirSync(shard, { recursive: true });
        shards.add(shard);
      }
      renameSync(object.tempPath, target);
    }
    for (const shard of shards) {
      syncDirectory(shard);
    }
    if (shards.size > 0) {
      syncDirectory(this.objectsDir);
    }
  }

  exists(key: string): boolean {
    try {
      return statSync(this.objectPath(key)).isFile();
    } catch {
      return false;
    }
  }

  remove(key: string): void {
    try {
      unlinkSync(this.objectPath(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw error;
      }
    }
  }

  /** Removes temporary files left by an import that did not finish. Returns how many. */
  clearTemporaries(): number {
    let removed = 0;
    for (const name of readdirSync(this.tempDir)) {
      rmSync(join(this.tempDir, name), { force: true, recursive: true });
      removed += 1;
    }
    return removed;
  }

  /** Every object key in the store (for verification). */
  *keys(): Generator<string> {
    for (const shard of readdirSync(this.objectsDir)) {
      for (const name of readdirSync(join(this.objectsDir, shard))) {
        yield name;
      }
    }
  }

  temporaries(): string[] {
    return readdirSync(this.tempDir);
  }
}

function syncDirectory(path: string): void {
  // Directory fsync makes renames durable on Linux; other platforms refuse to open a directory.
  if (process.platform === 'win32') {
    return;
  }
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
