import { describe, expect, it } from 'vitest';
import { utf8Text } from '../../electron/cli/json-file.ts';

describe('report and protocol JSON read as UTF-8', () => {
  it('reads UTF-8 with and without a byte-order mark as the same text', () => {
    const text = '{"name":"Müller café"}';
    expect(utf8Text(Buffer.from(text, 'utf8'))).toBe(text);
    expect(utf8Text(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]))).toBe(text);
  });

  it('refuses Latin-1 bytes with their offset instead of turning them into U+FFFD', () => {
    const latin1 = Buffer.from('{"name":"Müller"}', 'latin1');
    expect(() => utf8Text(latin1)).toThrow(/byte 10 \(0xfc\)/);
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), latin1]);
    expect(() => utf8Text(withBom)).toThrow(/byte 13 \(0xfc\)/);
  });

  it('keeps a U+FFFD the file really holds, and still finds the damage after it', () => {
    const written = Buffer.from('{"a":"\uFFFD","b":"', 'utf8');
    expect(utf8Text(Buffer.concat([written, Buffer.from('"}')]))).toBe('{"a":"\uFFFD","b":""}');
    expect(() => utf8Text(Buffer.concat([written, Buffer.from([0xe9]), Buffer.from('"}')]))).toThrow(new RegExp(`byte ${written.length} \\(0xe9\\)`));
  });
});
