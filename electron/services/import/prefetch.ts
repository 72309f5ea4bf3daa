import { open } from 'node:fs/promises';
import type { BufferPool } from './buffer-pool.ts';
import type { DiscoveredFile } from './discovery.ts';

export type Prefetched = { bytes: Buffer } | { error: NodeJS.ErrnoException } | null;

/**
 * Reads the next files ahead on the thread pool while the importer parses and hashes the current
 * one, so media reads and processing overlap. Only files small enough to be held whole are read
 * ahead, within a byte budget; the rest are read as before.
 */
export class Prefetcher {
  private readonly pending = new Map<number, Promise<Prefetched>>();
  private next = 0;
  private reservedBytes = 0;

  constructor(
    private readonly files: readonly DiscoveredFile[],
    private readonly pool: BufferPool,
    private readonly wholeFileLimit: number,
    private readonly budgetBytes: number,
    private readonly maxFiles: number,
  ) {}

  private async read(file: DiscoveredFile): Promise<Prefetched> {
    try {
      const handle = await open(file.absolutePath, 'r');
      try {
        const { size } = await handle.stat();
        if (size > this.wholeFileLimit) {
          return null;
        }
        const bytes = this.pool.take(size);
        let got = 0;
        while (got < size) {
          const { bytesRead } = await handle.read(bytes, got, size - got, got);
          if (bytesRead === 0) {
            break;
          }
          got += bytesRead;
        }
        return { bytes: got === size ? bytes : bytes.subarray(0, got) };
      } finally {
        await handle.close();
      }
    } catch (error) {
      return { error: error as NodeJS.ErrnoException };
    }
  }

  private fill(from: number): void {
    this.next = Math.max(this.next, from);
    while (
      this.next < this.files.length &&
      this.pending.size < this.maxFiles &&
      this.reservedBytes + (this.files[this.next]?.size ?? 0) <= this.budgetBytes
    ) {
      const file = this.files[this.next] as DiscoveredFile;
      if (file.size <= this.wholeFileLimit) {
        this.reservedBytes += file.size;
        this.pending.set(this.next, this.read(file));
      }
      this.next += 1;
    }
  }

  /** The file at `index`, read ahead (or null: read it directly). Starts reading the ones after it. */
  async take(index: number): Promise<Prefetched> {
    this.fill(index);
    const entry = this.pending.get(index);
    if (!entry) {
      return null;
    }
    this.pending.delete(index);
    this.reservedBytes -= this.files[index]?.size ?? 0;
    const result = await entry;
    this.fill(index + 1);
    return result;
  }
}
