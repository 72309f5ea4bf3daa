/** One satisfiable byte range, inclusive at both ends as HTTP writes it. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * The single byte range a `Range` header asks of a resource of `size` bytes: null for the whole
 * resource (no header, a unit other than bytes, or several ranges, which a full answer satisfies), or
 * 'unsatisfiable' (answer 416).
 */
export function parseByteRange(header: string | null, size: number): ByteRange | null | 'unsatisfiable' {
  if (!header) {
    return null;
  }
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) {
    return null;
  }
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') {
    return 'unsatisfiable';
  }
  if (first === '') {
    // A suffix: the last N bytes.
    const length = Number(last);
    if (length === 0 || size === 0) {
      return 'unsatisfiable';
    }
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || end < start) {
    return 'unsatisfiable';
  }
  return { start, end };
}
