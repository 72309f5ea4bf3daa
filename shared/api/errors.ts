/** Errors every transport carries the same way: a code the renderer can act on, a message a person can read. */
export const API_ERROR_CODES = [
  'bad-request', // the request does not match its schema
  'unauthorized', // no or wrong token
  'forbidden', // wrong origin or host, or a path outside what may be read
  'not-found',
  'conflict', // e.g. an import is already running
  'source-not-found', // the path to import names no file or folder
  'source-unreadable', // the path exists but cannot be read, or is not a folder or a file (a pipe, a device)
  'source-relative', // a relative path where the caller's working folder means nothing to the user (the app, the browser host)
  'source-not-medium', // a folder that is clearly not a medium (a home folder, a huge one without DICOMDIR): asked before importing
  'unavailable', // the library cannot be opened
  'internal',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** An error that came over a transport as plain data, as the typed error again (unknown codes read as internal). */
export function apiErrorFromWire(wire: { code?: unknown; message?: unknown; details?: unknown } | null | undefined, fallbackMessage: string): ApiError {
  const code = (API_ERROR_CODES as readonly unknown[]).includes(wire?.code) ? (wire?.code as ApiErrorCode) : 'internal';
  return new ApiError(code, typeof wire?.message === 'string' ? wire.message : fallbackMessage, wire?.details);
}

export const HTTP_STATUS: Record<ApiErrorCode, number> = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'source-not-found': 404,
  'source-unreadable': 403,
  'source-relative': 400,
  'source-not-medium': 409,
  unavailable: 503,
  internal: 500,
};

/** The typed errors an import source can end in before any file is read (see electron/services/import/source-check.ts). */
export type ImportSourceErrorCode = Extract<ApiErrorCode, 'source-not-found' | 'source-unreadable' | 'source-relative'>;
