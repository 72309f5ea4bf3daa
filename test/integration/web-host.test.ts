import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../shared/api/schemas.ts';
import { corpus, haveCorpus } from '../support/environment.ts';
import { spawnConcord } from '../support/cli.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';
import { startServe } from '../support/serve.ts';
import type { RunningHost } from '../support/serve.ts';

let host: RunningHost;
beforeAll(async () => {
  host = await startServe(tempDir());
});
afterAll(async () => {
  await host.stop();
  cleanupTempDirs();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so tests can send what a browser never would (wrong Host, no Origin, ...). */
function send(method: string, path: string, headers: Record<string, string> = {}, body?: string, port = host.port): Promise<Reply> {
  return new Promise((resolvePromise, rejectPromise) => {
    const request = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolvePromise({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    request.on('error', rejectPromise);
    if (body !== undefined) {
      request.write(body);
    }
    request.end();
  });
}

function call(method: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return send('POST', `/api/${method}`, { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}`, ...headers }, JSON.stringify(body));
}

function errorCode(reply: Reply): string {
  return (JSON.parse(reply.body) as { error: { code: string } }).error.code;
}

describe('loopback browser host', () => {
  it('prints one line with the address to open, on 127.0.0.1 and a port it picked, with a long random token', () => {
    expect(host.output[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    expect(host.port).toBeGreaterThan(0);
  });

  it('serves the app and the API with the token', async () => {
    const page = await send('GET', '/', { Host: `127.0.0.1:${host.port}` });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const studies = await call('listStudies', {});
    expect(studies.status).toBe(200);
    expect(JSON.parse(studies.body)).toEqual({ studies: [] });
  });

  it('refuses API requests without the token or with a wrong one', async () => {
    const none = await send('POST', '/api/listStudies', { 'Content-Type': 'application/json' }, '{}');
    expect(none.status).toBe(401);
    expect(errorCode(none)).toBe('unauthorized');
    expect((await call('listStudies', {}, { Authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await call('listStudies', {}, { Authorization: `Bearer ${host.token}x` })).status).toBe(401);
    const cookie = await send('POST', '/api/listStudies', { 'Content-Type': 'application/json', Cookie: 'concord_session=wrong' }, '{}');
    expect(cookie.status).toBe(401);
    expect((await send('GET', '/api/events')).status).toBe(401);
  });

  it('trades the token in the address for an HttpOnly same-site cookie, and refuses a wrong one', async () => {
    const wrong = await send('GET', '/?token=nope', { Host: `127.0.0.1:${host.port}` });
    expect(wrong.status).toBe(401);
    const right = await send('GET', `/?token=${host.token}`, { Host: `127.0.0.1:${host.port}` });
    expect(right.status).toBe(303);
    expect(right.headers.location).toBe('/');
    const setCookie = String(right.headers['set-cookie']);
    expect(setCookie).toMatch(/concord_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const withCookie = await send('POST', '/api/listStudies', {
      'Content-Type': 'application/json',
      Cookie: setCookie.split(';')[0] as string,
    }, '{}');
    expect(withCookie.status).toBe(200);
  });

  it('refuses requests from another origin, another site or under another host name', async () => {
    const foreign = await call('listStudies', {}, { Origin: 'https://example.org' });
    expect(foreign.status).toBe(403);
    expect(errorCode(foreign)).toBe('forbidden');
    expect((await call('listStudies', {}, { Origin: `http://127.0.0.1:${host.port + 1}` })).status).toBe(403);
    expect((await call('listStudies', {}, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    // DNS rebinding: a page on attacker.example that resolves to 127.0.0.1.
    expect((await call('listStudies', {}, { Host: `attacker.example:${host.port}` })).status).toBe(403);
    expect((await call('listStudies', {}, { Origin: host.origin })).status).toBe(200);
  });

  it('refuses malformed requests with a clear error', async () => {
    const bad = await send('POST', '/api/listStudies', { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}` }, '{"limit":');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.message).toMatch(/malformed JSON/);
    const invalid = await call('startImport', { path: 42 });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body).error).toMatchObject({ code: 'bad-request' });
    // The message names the field at fault, not only the method.
    expect(JSON.parse(invalid.body).error.message).toMatch(/^invalid startImport request: path: /);
    expect(JSON.parse(invalid.body).error.details[0].path).toEqual(['path']);
    expect((await call('startImport', { path: '/x', shell: 'yes' })).status).toBe(400);
    const unknown = await call('deleteEverything', {});
    expect(unknown.status).toBe(404);
    const text = await send('POST', '/api/listStudies', { 'Content-Type': 'text/plain', Authorization: `Bearer ${host.token}` }, '{}');
    expect(text.status).toBe(400);
    const get = await send('GET', '/api/listStudies', { Authorization: `Bearer ${host.token}` });
    expect(get.status).toBe(400);
    const huge = await call('listStudies', { text: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(400);
    // Tens of thousands of unknown keys (a 600 kB request) get a bounded answer, not every key echoed back.
    const many = await call('startImport', { path: '/x', ...Object.fromEntries(Array.from({ length: 40_000 }, (_, i) => [`key${i}`, 1])) });
    expect(many.status).toBe(400);
    expect(JSON.parse(many.body).error.details.length).toBeLessThanOrEqual(20);
    expect(many.body.length).toBeLessThan(20_000);
    expect(JSON.parse(many.body).error.message).toMatch(/^invalid startImport request: \(request\): Unrecognized keys/);
  });

  it('serves nothing outside the built renderer', async () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/..%2f..%2fpackage.json', '/assets/../../../package.json']) {
      const reply = await send('GET', path, { Host: `127.0.0.1:${host.port}` });
      expect({ path, status: reply.status }).toEqual({ path, status: 404 });
    }
  });

  it('answers malformed percent-encoding in a page path as a bad request, not a server error', async () => {
    for (const path of ['/%E0%A4%A', '/assets/%zz.js', '/%']) {
      const reply = await send('GET', path, { Host: `127.0.0.1:${host.port}` });
      expect({ path, status: reply.status }).toEqual({ path, status: 400 });
    }
  });

  it('lists folders by name only and reports missing ones', async () => {
    const listing = await call('listFolder', { path: '/' });
    expect(listing.status).toBe(200);
    expect(JSON.parse(listing.body).entries.length).toBeGreaterThan(0);
    expect((await call('listFolder', { path: '/no/such/folder' })).status).toBe(404);
    expect((await call('startImport', { path: '/no/such/cd' })).status).toBe(404);
  });
});

describe.skipIf(!haveCorpus())('import job over the browser host', () => {
  it('runs as a job with progress events and a summary, and refuses a second import meanwhile', async () => {
    const events: { type: string; job?: Job }[] = [];
    const stream = new AbortController();
    const response = await fetch(`${host.base}api/events`, { headers: { Authorization: `Bearer ${host.token}` }, signal: stream.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const reading = (async () => {
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) {
          return;
        }
        buffer += new TextDecoder().decode(value);
        const parts = buffer.split('\n\n');
        buffer = parts.pop() ?? '';
        for (const part of parts) {
          if (part.startsWith('data: ')) {
            events.push(JSON.parse(part.slice(6)));
          }
        }
      }
    })();

    const started = await call('startImport', { path: corpus('03-breast-patient-cd-mr-us-mimbcd') });
    expect(started.status).toBe(200);
    const job = JSON.parse(started.body).job as Job;
    expect(job.status).toBe('running');
    const second = await call('startImport', { path: corpus('06-dicomdir-charsets-clunie') });
    expect(second.status).toBe(409);
    expect(JSON.parse(second.body).error.message).toMatch(/already running/);

    let finished: Job | undefined;
    for (let i = 0; i < 200 && !finished; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      finished = events.map((e) => e.job).find((j) => j?.id === job.id && j.status !== 'running');
    }
    stream.abort();
    await reading;
    expect(finished?.status).toBe('completed');
    expect(finished?.summary?.counts).toMatchObject({ imported: 145, 'media-directory': 1, 'not-dicom': 2 });
    const progressEvents = events.filter((e) => e.job?.id === job.id && e.job.progress);
    expect(progressEvents.length).toBeGreaterThanOrEqual(2);
    expect(events.some((e) => e.type === 'library-changed')).toBe(true);

    const fetched = JSON.parse((await call('getJob', { jobId: job.id })).body).job as Job;
    expect(fetched.status).toBe('completed');
    const outcomes = JSON.parse((await call('listImportOutcomes', { sessionId: fetched.summary?.sessionId, problemsOnly: true })).body);
    expect(outcomes.total).toBe(2);
    const studies = JSON.parse((await call('listStudies', { text: 'ROTINA' })).body).studies;
    expect(studies).toHaveLength(1);
    expect(studies[0].instanceCount).toBe(144);
  });
});

describe('import sources the host refuses or finishes without DICOM', () => {
  function error(reply: Reply): { code: string; message: string; details?: unknown } {
    return (JSON.parse(reply.body) as { error: { code: string; message: string; details?: unknown } }).error;
  }

  /** Waits for a job to end, reading it back through the API. */
  async function finished(jobId: string): Promise<Job> {
    for (let i = 0; i < 600; i += 1) {
      const job = JSON.parse((await call('getJob', { jobId })).body).job as Job;
      if (job.status !== 'running') {
        return job;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`job ${jobId} did not end`);
  }

  it('refuses a relative path with its typed error: the server folder means nothing at the page', async () => {
    for (const path of ['cd', './cd', '../media/cdrom', '~/cd']) {
      const reply = await call('startImport', { path });
      expect({ path, status: reply.status }).toEqual({ path, status: 400 });
      expect(error(reply)).toMatchObject({ code: 'source-relative', details: { path } });
      expect(error(reply).message).toMatch(/is a relative path.*: type the full path, starting with \/, or pick the folder with Browse$/);
    }
    expect(error(await call('startImport', { path: '~/cd' })).message).toMatch(/\(~ is not expanded here\)/);
    expect(error(await call('listFolder', { path: 'media' })).code).toBe('source-relative');
  });

  it('says a path that does not exist does not exist, and a path through a file cannot', async () => {
    const missing = join(tempDir(), 'no-such-cd');
    const reply = await call('startImport', { path: missing });
    expect(reply.status).toBe(404);
    expect(error(reply)).toEqual({
      code: 'source-not-found',
      message: `There is no file or folder at ${missing}: check the path (is the disc or drive mounted?)`,
      details: { path: missing },
    });
    const file = join(tempDir(), 'file.txt');
    writeFileSync(file, 'text');
    const through = await call('startImport', { path: join(file, 'sub') });
    expect(error(through)).toMatchObject({ code: 'source-not-found', message: expect.stringMatching(/a part of the path is a file, not a folder$/) });
  });

  it('refuses a named pipe as unreadable', async () => {
    const pipe = join(tempDir(), 'pipe');
    expect(spawnSync('mkfifo', [pipe]).status).toBe(0);
    const reply = await call('startImport', { path: pipe });
    expect(reply.status).toBe(403);
    expect(error(reply)).toMatchObject({ code: 'source-unreadable', message: expect.stringContaining('is a named pipe (FIFO)') });
  });

  it('ends an import of an empty folder or a folder without DICOM as no-dicom, with the count examined', async () => {
    const empty = tempDir();
    const emptyJob = JSON.parse((await call('startImport', { path: empty })).body).job as Job;
    const emptyEnd = await finished(emptyJob.id);
    expect(emptyEnd.status).toBe('no-dicom');
    expect(emptyEnd.summary?.statusReason).toBe(`No DICOM files were found in ${empty}: it holds no files`);

    const folder = tempDir();
    writeFileSync(join(folder, 'notes.txt'), 'not an image\n');
    writeFileSync(join(folder, 'viewer.exe'), Buffer.alloc(2048, 0x4d));
    const job = JSON.parse((await call('startImport', { path: folder })).body).job as Job;
    const end = await finished(job.id);
    expect(end.status).toBe('no-dicom');
    expect(end.summary?.statusReason).toBe(`No DICOM files were found in ${folder}: 2 files examined, none is DICOM`);
    expect(end.summary?.counts['not-dicom']).toBe(2);
  });
});

describe('stopping the browser host', () => {
  it('ends on SIGTERM although a client has left a large response unread', async () => {
    const other = await startServe(tempDir());
    const page = await send('GET', '/', { Host: `127.0.0.1:${other.port}` }, undefined, other.port);
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    expect(script).toBeDefined();
    // The script's source map is many megabytes: more than the sockets can buffer while nobody reads.
    const stalled = await new Promise<IncomingMessage>((resolvePromise, rejectPromise) => {
      const request = httpRequest(
        { host: '127.0.0.1', port: other.port, path: `/${script}.map`, headers: { Host: `127.0.0.1:${other.port}` }, agent: false },
        (response) => {
          response.pause();
          resolvePromise(response);
        },
      );
      request.on('error', rejectPromise);
      request.end();
    });
    expect(stalled.statusCode).toBe(200);
    expect(await other.stop()).toBe(0);
    stalled.destroy();
  });
});

describe('browser host without the built page', () => {
  it('refuses to start, in one line naming the command to run, before it opens the library', async () => {
    const library = join(tempDir(), 'library');
    const child = spawnConcord(['serve', '--library', library, '--port', '0'], { CONCORD_RENDERER_DIR: tempDir('concord-no-renderer-') });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // An address means it started anyway: stop it, and let the assertions below say so.
      child.kill('SIGTERM');
    });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(stdout).toBe('');
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^concord: the app's page is not built \(no index\.html in .*concord-no-renderer-.*\); run `npm run build`, then start again\n$/);
    expect(existsSync(library)).toBe(false);
  });
});
