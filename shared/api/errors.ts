/** Errors every transport carries the same way: a code the renderer can act on, a message a person can read. */
export const API_ERROR_CODES = [
  'bad-request', // the request does not match its schema
  'unauthorized', // no or wrong token
  'forbidden', // wrong origin or host, or a path outside what may be read
  'not-found',
  'conflict', // e.g. an import is already running
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

export const HTTP_STATUS: Record<ApiErrorCode, number> = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};
