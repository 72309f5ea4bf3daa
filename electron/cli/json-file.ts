import { readFileSync } from 'node:fs';

/** A JSON file as a person saves it: UTF-8, with or without a byte-order mark; anything else refused. */
export function readJsonFile(path: string): unknown {
  return JSON.parse(utf8Text(readFileSync(path)));
}

/**
 * The bytes as UTF-8 text, a leading byte-order mark dropped. Bytes that are not UTF-8 (a Latin-1 "é")
 * are refused with their offset rather than read as U+FFFD, which would change what the user wrote.
 */
export function utf8Text(bytes: Buffer): string {
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    const offset = firstInvalidUtf8Offset(body) + (body === bytes ? 0 : 3);
    throw new Error(`the file is not UTF-8 text: byte ${offset} (0x${bytes[offset]?.toString(16).padStart(2, '0') ?? '??'}) starts no valid character; save it as UTF-8`);
  }
}

/** Where the first byte sequence that is not UTF-8 starts: the replacement the lenient decoder made, mapped back to bytes. */
function firstInvalidUtf8Offset(body: Buffer): number {
  const lenient = new TextDecoder('utf-8').decode(body);
  let index = lenient.indexOf('\uFFFD');
  while (index >= 0) {
    const offset = Buffer.byteLength(lenient.slice(0, index), 'utf8');
    // A U+FFFD written in the file (EF BF BD) is text, not damage.
    if (!(body[offset] === 0xef && body[offset + 1] === 0xbf && body[offset + 2] === 0xbd)) {
      return offset;
    }
    index = lenient.indexOf('\uFFFD', index + 1);
  }
  return 0;
}
