/**
 * Words of a free-text header value (Series Description, Protocol Name...), upper case, split at
 * anything but letters, digits and '+', so "L-MLO", "R_CC" and "T1_FS+C" give their parts. Header
 * text is untrusted: it is bounded before splitting.
 */
const MAX_TEXT = 256;

export function textTokens(text: string): string[] {
  return text
    .slice(0, MAX_TEXT)
    .toUpperCase()
    .split(/[^A-Z0-9+]+/)
    .filter((token) => token.length > 0);
}

/** The first of the named header texts that holds a token the reader accepts, with the token's reading. */
export function findInTexts<T>(
  sources: { name: string; text: string }[],
  read: (tokens: string[]) => { value: T; token: string } | null,
): { value: T; token: string; source: string; text: string } | null {
  for (const source of sources) {
    const found = read(textTokens(source.text));
    if (found) {
      return { ...found, source: source.name, text: source.text.slice(0, 64) };
    }
  }
  return null;
}
