import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler } from '../../electron/host/app-protocol.ts';
import { PathRefusedError, resolveConfinedFile } from '../../electron/host/confined-path.ts';
import { CONTENT_SECURITY_POLICY } from '../../electron/host/security-headers.ts';

// A built page in a temporary folder, with a secret beside it and links that try to reach it.
let base: string;
let rendererDir: string;
const bundle = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'concord-protocol-'));
  rendererDir = join(base, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Concord</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), bundle);
  writeFileSync(join(base, 'secret.txt'), 'outside the page');
  mkdirSync(join(base, 'elsewhere'));
  writeFileSync(join(base, 'elsewhere', 'x.js'), 'outside too');
  symlinkSync(join(base, 'secret.txt'), join(rendererDir, 'assets', 'escape.txt'));
  symlinkSync(join(base, 'elsewhere'), join(rendererDir, 'assets', 'escape-dir'));
  symlinkSync(join(rendererDir, 'assets', 'app.js'), join(rendererDir, 'alias.js'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

function refusal(urlPath: string): string {
  try {
    resolveConfinedFile(rendererDir, urlPath);
  } catch (error) {
    return error instanceof PathRefusedError ? error.reason : 'other error';
  }
  return 'served';
}

describe('confined paths under the app protocol', () => {
  it('serves files inside the folder, including through a link that stays inside', () => {
    expect(resolveConfinedFile(rendererDir, '/assets/app.js')).toBe(join(rendererDir, 'assets', 'app.js'));
    expect(resolveConfinedFile(rendererDir, '/alias.js')).toBe(join(rendererDir, 'assets', 'app.js'));
  });

  it.each([
    ['/../secret.txt', 'traversal'],
    ['/assets/../../secret.txt', 'traversal inside a path'],
    ['/./index.html', 'a dot segment'],
    ['//etc/passwd', 'an absolute path'],
    ['/C:/Windows/win.ini', 'a drive letter'],
    ['/assets\\..\\..\\secret.txt', 'backslashes'],
    ['/..%2Fsecret.txt', 'an encoded slash'],
    ['/..%2fsecret.txt', 'an encoded slash, lower case'],
    ['/..%5Csecret.txt', 'an encoded backslash'],
    ['/%2E%2E/secret.txt', 'encoded dots'],
    ['/%2e%2e/secret.txt', 'encoded dots, lower case'],
    ['/index.html%00.js', 'an encoded NUL'],
    ['/index.html\0.js', 'a NUL'],
    ['/assets/escape.txt', 'a link to a file outside'],
    ['/assets/escape-dir/x.js', 'a link to a folder outside'],
    ['/%E0%A4%A', 'malformed encoding'],
  ])('refuses %s (%s)', (urlPath) => {
    expect(refusal(urlPath)).toBe('refused');
  });

  it('answers not found for what does not exist or is not a file', () => {
    expect(refusal('/missing.js')).toBe('not-found');
    expect(refusal('/assets')).toBe('not-found');
  });
});

describe('the app protocol handler', () => {
  const noLibrary = { instanceDelivery: () => null, documentBytes: async () => null };
  const handler = (): ((request: Request) => Promise<Response>) => createAppProtocolHandler({ rendererDir, ...noLibrary });

  it('serves the page with the strict content security policy, and / as index.html', async () => {
    const response = await handler()(new Request('concord://app/'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await response.text()).toContain('<title>Concord</title>');
  });

  it('refuses encoded separators and link escapes that reach it through URL parsing, and other hosts and methods', async () => {
    expect((await handler()(new Request('concord://app/..%2Fsecret.txt'))).status).toBe(403);
    expect((await handler()(new Request('concord://app/assets%5C..%5C..%5Csecret.txt'))).status).toBe(403);
    expect((await handler()(new Request('concord://app/assets/escape.txt'))).status).toBe(403);
    // The URL parser resolves literal dot segments itself: what is left stays inside the folder.
    const dotted = await handler()(new Request('concord://app/assets/../../secret.txt'));
    expect(dotted.status).toBe(404);
    expect(await dotted.text()).not.toContain('outside the page');
    expect((await handler()(new Request('concord://other/index.html'))).status).toBe(404);
    expect((await handler()(new Request('concord://app/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('serves byte ranges of a file: a middle range, an open range, a suffix, and refuses one past the end', async () => {
    const get = (range?: string): Promise<Response> =>
      handler()(new Request('concord://app/assets/app.js', range ? { headers: { Range: range } } : {}));
    const whole = await get();
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await whole.arrayBuffer()).equals(bundle)).toBe(true);

    const middle = await get('bytes=10-19');
    expect(middle.status).toBe(206);
    expect(middle.headers.get('content-range')).toBe('bytes 10-19/1000');
    expect(middle.headers.get('content-length')).toBe('10');
    expect(Buffer.from(await middle.arrayBuffer()).equals(bundle.subarray(10, 20))).toBe(true);

    const open = await get('bytes=990-');
    expect(open.headers.get('content-range')).toBe('bytes 990-999/1000');
    expect(Buffer.from(await open.arrayBuffer()).equals(bundle.subarray(990))).toBe(true);

    const suffix = await get('bytes=-5');
    expect(suffix.headers.get('content-range')).toBe('bytes 995-999/1000');
    expect(Buffer.from(await suffix.arrayBuffer()).equals(bundle.subarray(995))).toBe(true);

    const clipped = await get('bytes=900-5000');
    expect(clipped.headers.get('content-range')).toBe('bytes 900-999/1000');

    const past = await get('bytes=1000-1010');
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe('bytes */1000');
  });

  it('answers a request for an instance by UID only: a path in its place is refused before the library is asked', async () => {
    const asked: string[] = [];
    const handle = createAppProtocolHandler({
      rendererDir,
      instanceDelivery: (uid) => {
        asked.push(uid);
        return null;
      },
      documentBytes: async (uid) => {
        asked.push(uid);
        return null;
      },
    });
    expect((await handle(new Request('concord://app/dicom/..%2F..%2Fsecret.txt'))).status).toBe(400);
    expect((await handle(new Request('concord://app/document/1.2%2F3'))).status).toBe(400);
    expect((await handle(new Request('concord://app/dicom/1.2.3'))).status).toBe(404);
    expect(asked).toEqual(['1.2.3']);
  });
});
