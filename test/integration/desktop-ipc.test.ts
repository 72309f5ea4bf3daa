import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiDispatcher } from '../../electron/host/api-dispatcher.ts';
import { createAppProtocolHandler } from '../../electron/host/app-protocol.ts';
import { createIpcInvokeHandler, isAppFrame } from '../../electron/main/ipc-adapter.ts';
import { createWorkstation } from '../../electron/services/workstation/workstation.ts';
import type { Workstation } from '../../electron/services/workstation/workstation.ts';
import type { WorkstationApi } from '../../shared/api/contract.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { API_METHODS } from '../../shared/api/schemas.ts';
import type { ApiMethod } from '../../shared/api/schemas.ts';
import { concordJson } from '../support/cli.ts';
import { corpus, haveCorpus } from '../support/environment.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';

const METHODS = Object.keys(API_METHODS) as ApiMethod[];
const APP_FRAME = { url: 'concord://app/index.html', parent: null };
// Not a request object at all, or one with a field no schema has: every method's schema is strict.
const MALFORMED: Array<[string, unknown]> = [
  ['undefined', undefined],
  ['null', null],
  ['a number', 42],
  ['a string', '{"path":"/"}'],
  ['an array', [{}]],
  ['a function-like object', { then: 'x', constructor: 'y', unexpectedField: true }],
  ['an unknown field', { unexpectedField: true }],
];

let workstation: Workstation;
let calls: string[];
let recorded: WorkstationApi;
let instanceUid: string;

beforeAll(() => {
  const library = tempDir();
  workstation = createWorkstation(library, new URL('file:///no-import-worker-needed'));
  calls = [];
  // The real workstation, with every call that reaches it written down.
  recorded = new Proxy(workstation, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      return typeof value === 'function' && typeof name === 'string' && Object.hasOwn(API_METHODS, name)
        ? (request: unknown) => {
            calls.push(name);
            return (value as (request: unknown) => unknown).call(target, request);
          }
        : value;
    },
  });
});

afterAll(async () => {
  await workstation.close();
  cleanupTempDirs();
});

describe('the validated dispatcher shared by the browser host and the desktop IPC', () => {
  it.each(METHODS)('%s: rejects malformed requests before the workstation sees them, on both layers', async (method) => {
    const dispatch = createApiDispatcher(recorded);
    const invoke = createIpcInvokeHandler(dispatch);
    for (const [what, request] of MALFORMED) {
      const error = await dispatch(method, request).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error, `${method} with ${what}`).toBeInstanceOf(ApiError);
      expect((error as ApiError).code, `${method} with ${what}`).toBe('bad-request');
      const reply = await invoke(APP_FRAME, method, request);
      expect(reply, `${method} with ${what} over IPC`).toMatchObject({ ok: false, error: { code: 'bad-request' } });
      // Electron moves replies by structured clone: the reply, its message and details survive it whole.
      expect(structuredClone(reply)).toEqual(reply);
    }
    expect(calls).toEqual([]);
  });

  it('knows only the API methods: the workstation’s other functions and object internals are not callable', async () => {
    const invoke = createIpcInvokeHandler(createApiDispatcher(recorded));
    for (const name of ['subscribe', 'close', 'instanceBytes', 'documentBytes', 'libraryRoot', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '']) {
      expect(await invoke(APP_FRAME, name, {}), name).toMatchObject({ ok: false, error: { code: 'not-found' } });
    }
    for (const notAName of [undefined, null, 7, ['listJobs'], { toString: () => 'listJobs' }]) {
      expect(await invoke(APP_FRAME, notAName, {})).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    expect(calls).toEqual([]);
  });

  it('answers a valid call from the app’s own page with the workstation’s answer', async () => {
    const invoke = createIpcInvokeHandler(createApiDispatcher(recorded));
    expect(await invoke(APP_FRAME, 'listJobs', {})).toEqual({ ok: true, value: { jobs: [] } });
    // A typed error keeps its code across IPC.
    expect(await invoke(APP_FRAME, 'getStudy', { studyInstanceUid: '1.2.3' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(calls).toEqual(['listJobs', 'getStudy']);
  });
});

describe('the sender-frame check', () => {
  it.each([
    ['an iframe inside the app', { url: 'concord://app/index.html', parent: {} }],
    ['a web page', { url: 'https://example.org/', parent: null }],
    ['a local file', { url: 'file:///tmp/page.html', parent: null }],
    ['the loopback browser host', { url: 'http://127.0.0.1:5173/', parent: null }],
    ['another concord host', { url: 'concord://evil/index.html', parent: null }],
    ['a host that starts like the app', { url: 'concord://app.evil/index.html', parent: null }],
    ['credentials in the URL', { url: 'concord://user@app/index.html', parent: null }],
    ['a port', { url: 'concord://app:8080/index.html', parent: null }],
    ['not a URL', { url: 'app', parent: null }],
    ['a frame already gone', null],
  ])('refuses %s', async (_what, frame) => {
    expect(isAppFrame(frame)).toBe(false);
    const invoke = createIpcInvokeHandler(createApiDispatcher(recorded));
    calls.length = 0;
    expect(await invoke(frame, 'listJobs', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
  });

  it('accepts the app’s own top-level page, at any path of it', () => {
    expect(isAppFrame(APP_FRAME)).toBe(true);
    expect(isAppFrame({ url: 'concord://app/index.html#/study/1.2', parent: null })).toBe(true);
  });
});

describe.runIf(haveCorpus())('images through the app protocol, from the real library', () => {
  beforeAll(() => {
    // One MR image of the corpus patient CD, imported by the real importer.
    const source = join(tempDir(), 'one-image');
    mkdirSync(source);
    cpSync(corpus('03-breast-patient-cd-mr-us-mimbcd', 'IMAGES', 'IM0'), join(source, 'IM0'));
    const library = workstation.libraryRoot;
    concordJson(['import', source, '--library', library]);
  });

  it('serves an instance at /dicom/<uid> as the browser host does, whole and by range', async () => {
    const { studies } = await workstation.listStudies({});
    const study = await workstation.getStudy({ studyInstanceUid: (studies[0] as { studyInstanceUid: string }).studyInstanceUid });
    instanceUid = study.series[0]?.instances[0]?.sopInstanceUid as string;
    const handle = createAppProtocolHandler({
      rendererDir: tempDir(),
      instanceDelivery: (uid) => workstation.instanceDelivery(uid),
      documentBytes: (uid) => workstation.documentBytes(uid),
    });
    const expected = workstation.instanceBytes(instanceUid) as Buffer;
    const whole = await handle(new Request(`concord://app/dicom/${instanceUid}`));
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('application/dicom');
    expect(Buffer.from(await whole.arrayBuffer()).equals(expected)).toBe(true);
    const preamble = await handle(new Request(`concord://app/dicom/${instanceUid}`, { headers: { Range: 'bytes=128-131' } }));
    expect(preamble.status).toBe(206);
    expect(Buffer.from(await preamble.arrayBuffer()).toString('latin1')).toBe('DICM');
    expect((await handle(new Request(`concord://app/document/${instanceUid}`))).status).toBe(404);
  });
});
