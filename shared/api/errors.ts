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
  'read-only', // the library was opened for viewing only (a read-only disk or share): nothing can be saved in it
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
  'read-only': 409,
  internal: 500,
};

/** The typed errors an import source can end in before any file is read (see electron/services/import/source-check.ts). */
export type ImportSourceErrorCode = Extract<ApiErrorCode, 'source-not-found' | 'source-unreadable' | 'source-relative'>;

const MAX_ISSUES = 20;
const MAX_ISSUE_TEXT = 300;

function bounded(text: string): string {
  return text.length > MAX_ISSUE_TEXT ? `${text.slice(0, MAX_ISSUE_TEXT - 1)}…` : text;
}

/**
 * Validation issues as an answer may carry them: at most 20, each message and list (unrecognised keys)
 * cut short, so a request with thousands of bad values or keys never gets a larger answer than it sent.
 */
export function boundedIssues<T extends { message: string; path: readonly PropertyKey[] }>(issues: readonly T[]): T[] {
  return issues.slice(0, MAX_ISSUES).map((issue) => {
    const keys = (issue as { keys?: unknown }).keys;
    return {
      ...issue,
      message: bounded(issue.message),
      path: issue.path.slice(0, MAX_ISSUES),
      ...(Array.isArray(keys) ? { keys: keys.slice(0, MAX_ISSUES).map((key) => bounded(String(key))) } : {}),
    };
  });
}

/** "invalid saveDraft request: content.outside.date: a date as YYYYMMDD, or empty", naming the first few fields at fault. */
export function invalidRequestMessage(method: string, issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const named = boundedIssues(issues.slice(0, 5)).map((issue) => `${bounded(issue.path.map(String).join('.')) || '(request)'}: ${issue.message}`);
  return `invalid ${method} request${named.length > 0 ? `: ${named.join('; ')}` : ''}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''}`;
}
