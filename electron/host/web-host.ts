import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { WorkstationApi } from '../../shared/api/contract.ts';
import { ApiError, HTTP_STATUS } from '../../shared/api/errors.ts';
import type { InstanceDelivery } from '../services/store/delivery.ts';
import { createApiDispatcher, isApiMethod } from './api-dispatcher.ts';
import { parseByteRange } from './byte-range.ts';
import { MIME, SECURITY_HEADERS, UID_SEGMENT } from './security-headers.ts';

/**
 * The loopback browser host: the built renderer and the typed API over HTTP on 127.0.0.1 only. Every
 * API request must carry the per-run token (a cookie set when the page is opened with ?token=, or a
 * Bearer header), come from this origin, and match its schema.
 */
export interface WebHostOptions {
  api: WorkstationApi;
  /** How an instance is delivered by SOP Instance UID (the stored file, streamed, or bytes), or null. */
  instanceDelivery(sopInstanceUid: string): InstanceDelivery | null;
  /** The PDF inside an Encapsulated PDF instance, or null (document delivery). */
  documentBytes?(sopInstanceUid: string): Promise<Buffer | null>;
  rendererDir: string;
  port: number;
  token?: string;
}

export interface WebHost {
  url: string;
  /** The URL to open: it carries the token. */
  openUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const SESSION_COOKIE = 'concord_session';
const MAX_BODY_BYTES = 1024 * 1024;
function sameToken(candidate: string | undefined, token: string): boolean {
  if (!candidate) {
    return false;
  }
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) {
      return value.join('=');
    }
  }
  return undefined;
}

function securityHeaders(response: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    response.setHeader(name, value);
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

function sendError(response: ServerResponse, error: ApiError): void {
  sendJson(response, HTTP_STATUS[error.code], {
    error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) },
  });
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new ApiError('bad-request', `request body larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A host without the built page would answer every visit with "not found": refuse to start instead. */
export function checkRendererBuilt(rendererDir: string): void {
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`the app's page is not built (no index.html in ${rendererDir}); run \`npm run build\`, then start again`);
  }
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  checkRendererBuilt(options.rendererDir);
  const token = options.token ?? randomBytes(32).toString('base64url');
  const server: Server = createServer();
  const openStreams = new Set<ServerResponse>();
  const dispatch = createApiDispatcher(options.api);
  let origins: Set<string> = new Set();
  let hosts: Set<string> = new Set();

  /** Refuses what does not come from this host's own page (DNS rebinding, other sites). */
  function checkOrigin(request: IncomingMessage): void {
    if (!hosts.has(request.headers.host ?? '')) {
      throw new ApiError('forbidden', `Host ${JSON.stringify(request.headers.host ?? '')} is not this workstation`);
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !origins.has(origin)) {
      throw new ApiError('forbidden', `Requests from ${origin} are not allowed`);
    }
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      throw new ApiError('forbidden', `Cross-site requests (${site}) are not allowed`);
    }
  }

  function checkToken(request: IncomingMessage): void {
    const header = request.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    if (!sameToken(bearer, token) && !sameToken(cookie(request, SESSION_COOKIE), token)) {
      throw new ApiError('unauthorized', 'Missing or wrong access token: open the address `concord serve` printed');
    }
  }

  async function handleApi(request: IncomingMessage, response: ServerResponse, name: string): Promise<void> {
    checkOrigin(request);
    checkToken(request);
    if (name === 'events') {
      if (request.method !== 'GET') {
        throw new ApiError('bad-request', 'events is read with GET');
      }
      response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      response.write(': connected\n\n');
      openStreams.add(response);
      const unsubscribe = options.api.subscribe((event) => response.write(`data: ${JSON.stringify(event)}\n\n`));
      const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), 15_000);
      request.on('close', () => {
        clearInterval(keepAlive);
        unsubscribe();
        openStreams.delete(response);
      });
      return;
    }
    if (!isApiMethod(name)) {
      throw new ApiError('not-found', `No API method ${name}`);
    }
    if (request.method !== 'POST') {
      throw new ApiError('bad-request', `API methods are called with POST, not ${request.method}`);
    }
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      throw new ApiError('bad-request', 'API requests must be application/json');
    }
    let body: unknown;
    try {
      body = JSON.parse((await readBody(request)) || 'null');
    } catch (error) {
      if (error instanceof ApiError) {
        throw error;
      }
      throw new ApiError('bad-request', `malformed JSON: ${(error as Error).message}`);
    }
    sendJson(response, 200, await dispatch(name, body));
  }

  /** Instance files by URL for the image loader: never whole files over the API, never a path from the request. */
  function serveInstance(request: IncomingMessage, response: ServerResponse, uid: string): void {
    checkOrigin(request);
    checkToken(request);
    if (!UID_SEGMENT.test(uid)) {
      throw new ApiError('bad-request', 'not a SOP Instance UID');
    }
    let delivery: InstanceDelivery | null;
    try {
      delivery = options.instanceDelivery(uid);
    } catch (error) {
      throw new ApiError('not-found', `The stored file of ${uid} cannot be read: ${(error as Error).message}`);
    }
    if (!delivery) {
      throw new ApiError('not-found', `No instance ${uid} in the library`);
    }
    const size = delivery.kind === 'file' ? delivery.size : delivery.bytes.length;
    const range = parseByteRange(request.headers.range ?? null, size);
    if (range === 'unsatisfiable') {
      response.writeHead(416, { 'Content-Range': `bytes */${size}` });
      response.end();
      return;
    }
    const { start, end } = range ?? { start: 0, end: size - 1 };
    response.writeHead(range ? 206 : 200, {
      'Content-Type': 'application/dicom',
      'Content-Length': size === 0 ? 0 : end - start + 1,
      'Accept-Ranges': 'bytes',
      'Cache-Control': 'private, max-age=86400',
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
    });
    if (request.method === 'HEAD' || size === 0) {
      response.end();
    } else if (delivery.kind === 'bytes') {
      response.end(delivery.bytes.subarray(start, end + 1));
    } else {
      // Streamed: a whole-slide or tomosynthesis object never sits whole in this process's memory.
      const stream = createReadStream(delivery.path, { start, end, highWaterMark: 1024 * 1024 });
      stream.on('error', () => response.destroy());
      stream.pipe(response);
    }
  }

  /**
   * The PDF of an Encapsulated PDF instance, for the document view: same checks as instances. Sent as
   * an attachment, so a browser that is sent here directly downloads it rather than showing it inline.
   */
  async function serveDocument(request: IncomingMessage, response: ServerResponse, uid: string): Promise<void> {
    checkOrigin(request);
    checkToken(request);
    if (!UID_SEGMENT.test(uid)) {
      throw new ApiError('bad-request', 'not a SOP Instance UID');
    }
    const bytes = options.documentBytes ? await options.documentBytes(uid) : null;
    if (!bytes) {
      throw new ApiError('not-found', `No PDF document ${uid} in the library`);
    }
    response.writeHead(200, {
      'Content-Type': 'application/pdf',
      'Content-Length': bytes.length,
      'Content-Disposition': 'attachment; filename="document.pdf"',
      'Cache-Control': 'private, max-age=86400',
    });
    response.end(bytes);
  }

  function serveStatic(request: IncomingMessage, response: ServerResponse, pathname: string): void {
    let relative: string;
    try {
      relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname.slice(1));
    } catch {
      throw new ApiError('bad-request', `Malformed percent-encoding in ${pathname.slice(0, 200)}`);
    }
    const file = normalize(join(options.rendererDir, relative));
    if (!file.startsWith(options.rendererDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      throw new ApiError('not-found', `No page ${pathname}`);
    }
    response.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': extname(file) === '.html' ? 'no-store' : 'max-age=3600',
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    createReadStream(file).pipe(response);
  }

  server.on('request', (request, response) => {
    securityHeaders(response);
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const handle = async (): Promise<void> => {
      if (url.pathname.startsWith('/api/')) {
        await handleApi(request, response, url.pathname.slice('/api/'.length));
        return;
      }
      if (url.pathname.startsWith('/dicom/') && request.method === 'GET') {
        serveInstance(request, response, url.pathname.slice('/dicom/'.length));
        return;
      }
      if (url.pathname.startsWith('/document/') && request.method === 'GET') {
        await serveDocument(request, response, url.pathname.slice('/document/'.length));
        return;
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        throw new ApiError('bad-request', `${request.method} is not served here`);
      }
      const offered = url.searchParams.get('token');
      if (offered !== null) {
        // Trade the token in the address for a cookie, and drop it from the address bar and history.
        checkOrigin(request);
        if (!sameToken(offered, token)) {
          throw new ApiError('unauthorized', 'Wrong access token: open the address `concord serve` printed');
        }
        response.writeHead(303, {
          'Set-Cookie': `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
          Location: url.pathname,
          'Cache-Control': 'no-store',
        });
        response.end();
        return;
      }
      serveStatic(request, response, url.pathname);
    };
    handle().catch((error: unknown) => {
      const apiError = error instanceof ApiError ? error : new ApiError('internal', (error as Error).message);
      if (response.headersSent) {
        response.end();
        return;
      }
      if (!request.complete) {
        // The body was refused part-way: this connection cannot carry another request.
        response.setHeader('Connection', 'close');
      }
      sendError(response, apiError);
    });
  });

  await new Promise<void>((resolvePromise, rejectPromise) => {
    server.once('error', rejectPromise);
    server.listen(options.port, '127.0.0.1', () => resolvePromise());
  });
  const port = (server.address() as AddressInfo).port;
  origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    openUrl: `${url}?token=${token}`,
    token,
    port,
    close: async () => {
      for (const stream of openStreams) {
        stream.end();
      }
      const closed = new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
      // Stopping waits for no client: a response left unread (a stalled download, a paused tab) would
      // otherwise hold the host open for ever.
      server.closeAllConnections();
      await closed;
    },
  };
}
