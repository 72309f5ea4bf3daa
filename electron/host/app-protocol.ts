import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { extname } from 'node:path';
import type { InstanceDelivery } from '../services/store/delivery.ts';
import { parseByteRange } from './byte-range.ts';
import { PathRefusedError, resolveConfinedFile } from './confined-path.ts';
import { MIME, SECURITY_HEADERS, UID_SEGMENT } from './security-headers.ts';

/** The desktop app's own scheme and host: the page, its images and documents all load from concord://app/. */
export const APP_SCHEME = 'concord';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export interface AppProtocolOptions {
  /** The built renderer: the only folder files are served from by path. */
  rendererDir: string;
  /** How an instance is delivered by SOP Instance UID (the stored file, streamed, or bytes), or null. */
  instanceDelivery(sopInstanceUid: string): InstanceDelivery | null;
  /** The PDF inside an Encapsulated PDF instance, or null. */
  documentBytes(sopInstanceUid: string): Promise<Buffer | null>;
}

/** What an answer's body is made of: a slice in memory, or a file streamed. */
type ResponseBody = Uint8Array | ReadableStream<Uint8Array>;

function plain(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...headers } });
}

/** A resource of `size` bytes, whole or the one range asked for; `read` returns bytes [start, end]. */
async function ranged(
  request: Request,
  size: number,
  headers: Record<string, string>,
  read: (start: number, end: number) => Promise<ResponseBody>,
): Promise<Response> {
  const range = parseByteRange(request.headers.get('range'), size);
  const base = { ...SECURITY_HEADERS, ...headers, 'Accept-Ranges': 'bytes' };
  if (range === 'unsatisfiable') {
    return plain(416, 'range not satisfiable', { 'Content-Range': `bytes */${size}` });
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const body = size === 0 || request.method === 'HEAD' ? null : await read(start, end);
  return new Response(body as BodyInit | null, {
    status: range ? 206 : 200,
    headers: {
      ...base,
      'Content-Length': String(size === 0 ? 0 : end - start + 1),
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
    },
  });
}

function bufferSlice(bytes: Buffer): (start: number, end: number) => Promise<ResponseBody> {
  return async (start, end) => bytes.subarray(start, end + 1);
}

/** Bytes [start, end] of a file as a stream: a large object is never read whole into memory. */
async function fileSlice(path: string, start: number, end: number): Promise<ResponseBody> {
  return Readable.toWeb(createReadStream(path, { start, end, highWaterMark: 1024 * 1024 })) as ReadableStream<Uint8Array>;
}


/**
 * The handler behind concord://app/: the built page by path (confined to its folder), instances at
 * /dicom/<uid> and PDFs at /document/<uid> as the browser host serves them, so the renderer builds the
 * same origin-relative URLs on either transport. Free of Electron: it takes a Fetch Request and answers
 * a Response, so it is tested under Node.
 */
export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return plain(405, `${request.method} is not served here`);
    }
    // The raw path, before URL normalisation could hide a traversal attempt.
    const raw = /^[a-z]+:\/\/[^/?#]*([^?#]*)/i.exec(request.url)?.[1] ?? '/';
    const url = new URL(request.url);
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) {
      return plain(404, 'not found');
    }
    for (const [prefix, kind] of [['/dicom/', 'instance'], ['/document/', 'document']] as const) {
      if (!raw.startsWith(prefix)) {
        continue;
      }
      const uid = raw.slice(prefix.length);
      if (!UID_SEGMENT.test(uid)) {
        return plain(400, 'not a SOP Instance UID');
      }
      if (kind === 'instance') {
        const delivery = options.instanceDelivery(uid);
        if (!delivery) {
          return plain(404, `no ${kind} ${uid} in the library`);
        }
        const headers = { 'Content-Type': 'application/dicom', 'Cache-Control': 'private, max-age=86400' };
        return delivery.kind === 'file'
          ? ranged(request, delivery.size, headers, (start, end) => fileSlice(delivery.path, start, end))
          : ranged(request, delivery.bytes.length, headers, bufferSlice(delivery.bytes));
      }
      const bytes = await options.documentBytes(uid);
      if (!bytes) {
        return plain(404, `no ${kind} ${uid} in the library`);
      }
      const type: Record<string, string> = { 'Content-Type': 'application/pdf', 'Content-Disposition': 'attachment; filename="document.pdf"' };
      return ranged(request, bytes.length, { ...type, 'Cache-Control': 'private, max-age=86400' }, bufferSlice(bytes));
    }
    let file: string;
    try {
      file = resolveConfinedFile(options.rendererDir, raw === '/' ? '/index.html' : raw);
    } catch (error) {
      if (error instanceof PathRefusedError) {
        return error.reason === 'refused' ? plain(403, error.message) : plain(404, 'not found');
      }
      throw error;
    }
    const { size } = await stat(file);
    const headers = { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Cache-Control': extname(file) === '.html' ? 'no-store' : 'max-age=3600' };
    return ranged(request, size, headers, (start, end) => fileSlice(file, start, end));
  };
}
