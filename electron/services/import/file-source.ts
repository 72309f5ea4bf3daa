import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const WINDOW_BYTES = 64 * 1024;

/** Reads a file by position, serving the first chunk from memory. */
export class FileSource {
  readonly size: number;
  readonly head: Buffer;
  private readonly fd: number | null;

  private constructor(fd: number | null, size: number, head: Buffer) {
    this.fd = fd;
    this.size = size;
    this.head = head;
  }

  /**
   * Opens a file and reads its head into `headBuffer`; a file of at most `wholeFileLimit` bytes is
   * read whole into a buffer from `allocate` instead, so it is read once for parsing, hashing and copying.
   */
  static open(path: string, headBuffer: Buffer, wholeFileLimit = 0, allocate: (size: number) => Buffer = Buffer.allocUnsafe): FileSource {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size <= wholeFileLimit) {
        headBuffer = allocate(size);
      }
      const wanted = Math.min(size, headBuffer.length);
      let got = 0;
      while (got < wanted) {
        const n = readSync(fd, headBuffer, got, wanted - got, got);
        if (n === 0) {
          break;
        }
        got += n;
      }
      return new FileSource(fd, size, headBuffer.subarray(0, got));
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** A source over bytes already in memory (an inflated deflate dataset). */
  static fromBuffer(bytes: Buffer): FileSource {
    return new FileSource(null, bytes.length, bytes);
  }

  get descriptor(): number | null {
    return this.fd;
  }

  /** Bytes [offset, offset + length), which must lie inside the file. */
  read(offset: number, length: number): Buffer {
    if (offset + length <= this.head.length) {
      return this.head.subarray(offset, offset + length);
    }
    if (this.fd === null) {
      throw new RangeError(`read past end of in-memory source at ${offset}`);
    }
    // Small reads (element headers) come from a read-ahead window, not one system call each.
    if (length <= 64) {
      const window = this.window;
      if (!window || offset < window.start || offset + length > window.start + window.bytes.length) {
        const size = Math.min(WINDOW_BYTES, this.size - offset);
        this.window = { start: offset, bytes: this.readDirect(offset, size) };
      }
      const current = this.window as { start: number; bytes: Buffer };
      return current.bytes.subarray(offset - current.start, offset - current.start + length);
    }
    return this.readDirect(offset, length);
  }

  private window: { start: number; bytes: Buffer } | null = null;

  private readDirect(offset: number, length: number): Buffer {
    const fd = this.fd as number;
    const out = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, out, got, length - got, offset + got);
      if (n === 0) {
        throw new RangeError(`file shrank while reading at ${offset + got}`);
      }
      got += n;
    }
    return out;
  }

  /** The whole file: the head itself when it holds the whole file, else a new buffer. */
  readAll(): Buffer {
    if (this.head.length === this.size) {
      return this.head;
    }
    const all = Buffer.allocUnsafe(this.size);
    this.head.copy(all, 0);
    let got = this.head.length;
    while (got < this.size) {
      if (this.fd === null) {
        throw new RangeError('in-memory source shorter than its size');
      }
      const n = readSync(this.fd, all, got, this.size - got, got);
      if (n === 0) {
        throw Object.assign(new Error(`file ended at byte ${got} while reading (expected ${this.size})`), { code: 'EIO' });
      }
      got += n;
    }
    return all;
  }

  close(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
    }
  }
}
