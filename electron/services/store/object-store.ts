import { createHash, randomBytes } from 'node:crypto';
import {
  constants, mkdirSync, readdirSync, rmSync, statSync, unlinkSync,
} from 'node:fs';
import fs from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDirectory } from './file-facts.ts';
import { HASH_ALGORITHM } from './hash.ts';

/**
 * The managed image store: every instance exactly as received, named by the SHA-256 of its bytes.
 * Files arrive through a temporary name, are fsynced, then renamed into place, so a store file either
 * holds its whole content or does not exist.
 */

export class PendingObject {
  private work: Promise<void> | null = null;
  /** Open descriptor of the temporary file between its write and its seal. */
  private fd: number | null = null;
  key: string | null = null;
  size = 0;

  constructor(readonly tempPath: string) {}

  /**
   * Writes an instance held in memory, whose hash the caller computed from these very bytes, on the
   * thread pool, so the importer reads and parses the next file meanwhile. The file stays open until
   * seal() makes it durable.
   */
  startFromBytes(bytes: Buffer, key: string): void {
    this.size = bytes.length;
    this.key = key;
    this.work = new Promise((resolvePromise, rejectPromise) => {
      fs.open(this.tempPath, 'wx', 0o644, (openError, fd) => {
        if (openError) {
          rejectPromise(openError);
          return;
        }
        this.fd = fd;
        const writeFrom = (offset: number): void => {
          if (offset >= bytes.length) {
            resolvePromise();
            return;
          }
          fs.write(fd, bytes, offset, bytes.length - offset, offset, (writeError, written) => {
            if (writeError) {
              rejectPromise(writeError);
            } else {
              writeFrom(offset + written);
            }
          });
        };
        writeFrom(0);
      });
    });
    this.work.catch(() => undefined); // reported by seal()
  }

  /**
   * Takes over a temporary file another thread wrote from bytes it hashed, still open for the fsync.
   */
  adopt(fd: number, size: number, key: string): void {
    const written = fs.fstatSync(fd).size;
    if (written !== size) {
      throw Object.assign(new Error(`adopted copy ${this.tempPath} has ${written} bytes, expected ${size}`), { code: 'EIO' });
    }
    this.fd = fd;
    this.size = size;
    this.key = key;
    this.work = Promise.resolve();
  }

  /**
   * Copies a large instance file to file in the kernel, then hashes the copy: the key names exactly
   * the bytes stored, even if the source changed meanwhile.
   */
  startFromFile(sourcePath: string, size: number): void {
    this.size = size;
    this.work = copyFile(sourcePath, this.tempPath, constants.COPYFILE_EXCL).then(async () => {
      const copied = (await stat(this.tempPath)).size;
      if (copied !== size) {
        throw Object.assign(new Error(`copy of ${sourcePath} has ${copied} bytes, expected ${size}`), { code: 'EIO' });
      }
      const hash = createHash(HASH_ALGORITHM);
      for await (const chunk of fs.createReadStream(this.tempPath, { highWaterMark: 1024 * 1024 })) {
        hash.update(chunk as Buffer);
      }
      this.key = hash.digest('hex');
      this.fd = await new Promise<number>((resolvePromise, rejectPromise) =>
        fs.open(this.tempPath, 'r+', (error, fd) => (error ? rejectPromise(error) : resolvePromise(fd))),
      );
    });
    this.work.catch(() => undefined); // reported by seal()
  }

  /** Settles when the write is done (successfully or not). */
  settled(): Promise<void> {
    return (this.work ?? Promise.resolve()).catch(() => undefined);
  }

  /** Waits for the write, makes the bytes durable and closes the file. */
  async seal(): Promise<void> {
    if (!this.work) {
      throw new Error('seal before copy');
    }
    try {
      await this.work;
      const fd = this.fd as number;
      await new Promise<void>((resolvePromise, rejectPromise) =>
        fs.fsync(fd, (error) => (error ? rejectPromise(error) : resolvePromise())),
      );
    } finally {
      this.closeQuietly();
    }
  }

  private closeQuietly(): void {
    if (this.fd !== null) {
      const fd = this.fd;
      this.fd = null;
      fs.close(fd, () => undefined);
    }
  }

  async discard(): Promise<void> {
    await this.settled();
    this.closeQuietly();
    await rm(this.tempPath, { force: true });
  }
}

export class ObjectStore {
  readonly objectsDir: string;
  readonly tempDir: string;
  private readonly shards = new Set<string>();

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

  /** A fresh name in the temporary folder. */
  tempPath(): string {
    return join(this.tempDir, `${randomBytes(12).toString('hex')}.part`);
  }

  begin(tempPath = this.tempPath()): PendingObject {
    return new PendingObject(tempPath);
  }

  /**
   * Moves sealed objects into place and makes the renames durable. An object already present
   * (same key, so the same bytes) is simply replaced by its identical copy.
   */
  async publish(objects: readonly PendingObject[]): Promise<void> {
    const shards = new Set<string>();
    for (const object of objects) {
      if (!object.key) {
        throw new Error('publish before finish');
      }
      shards.add(join(this.objectsDir, object.key.slice(0, 2)));
    }
    const newShards = [...shards].filter((shard) => !this.shards.has(shard));
    await Promise.all(newShards.map((shard) => mkdir(shard, { recursive: true })));
    newShards.forEach((shard) => this.shards.add(shard));
    // Renames are independent: run them together on the thread pool.
    await Promise.all(objects.map((object) => rename(object.tempPath, this.objectPath(object.key as string))));
    await Promise.all([...shards].map((shard) => syncDirectory(shard)));
    if (shards.size > 0) {
      await syncDirectory(this.objectsDir);
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
