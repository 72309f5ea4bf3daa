/**
 * Reusable buffers for whole-file reads. Allocating a fresh buffer for each of thousands of files makes
 * the garbage collector run hot; buffers here are sized in powers of two and handed back when their
 * write completes. At most `maxIdleBytes` wait idle.
 */
export class BufferPool {
  private readonly free = new Map<number, Buffer[]>();
  private idleBytes = 0;

  private readonly maxIdleBytes: number;

  constructor(maxIdleBytes: number) {
    this.maxIdleBytes = maxIdleBytes;
  }

  private static bucket(size: number): number {
    return Math.max(64 * 1024, 2 ** Math.ceil(Math.log2(Math.max(1, size))));
  }

  /** A buffer of exactly `size` bytes (a view on a pooled one). */
  take(size: number): Buffer {
    const bucket = BufferPool.bucket(size);
    const reused = this.free.get(bucket)?.pop();
    if (reused) {
      this.idleBytes -= bucket;
      return reused.subarray(0, size);
    }
    return Buffer.allocUnsafeSlow(bucket).subarray(0, size);
  }

  give(buffer: Buffer): void {
    const whole = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.buffer.byteLength - buffer.byteOffset);
    const bucket = whole.length;
    if (buffer.byteOffset !== 0 || bucket !== BufferPool.bucket(bucket) || this.idleBytes + bucket > this.maxIdleBytes) {
      return; // not one of ours, or enough idle already: let the collector have it
    }
    const list = this.free.get(bucket) ?? [];
    list.push(whole);
    this.free.set(bucket, list);
    this.idleBytes += bucket;
  }
}
