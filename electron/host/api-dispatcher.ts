import type { WorkstationApi } from '../../shared/api/contract.ts';
import { ApiError, boundedIssues, invalidRequestMessage } from '../../shared/api/errors.ts';
import { API_METHODS } from '../../shared/api/schemas.ts';
import type { ApiMethod } from '../../shared/api/schemas.ts';

/** Calls one API method by name with an untrusted request: the only way a transport reaches the workstation. */
export type ApiDispatcher = (method: string, request: unknown) => Promise<unknown>;

export function isApiMethod(name: string): name is ApiMethod {
  return Object.hasOwn(API_METHODS, name);
}

/**
 * The one validated dispatcher behind every transport (the browser host's HTTP, the desktop app's IPC):
 * the method must be one of API_METHODS and the request must match its schema before the workstation
 * sees it. Generic over API_METHODS, so a method added there works on every transport at once.
 */
export function createApiDispatcher(api: WorkstationApi): ApiDispatcher {
  return async (method, request) => {
    if (typeof method !== 'string' || !isApiMethod(method)) {
      throw new ApiError('not-found', `No API method ${String(method).slice(0, 80)}`);
    }
    const parsed = API_METHODS[method].request.safeParse(request);
    if (!parsed.success) {
      throw new ApiError('bad-request', invalidRequestMessage(method, parsed.error.issues), boundedIssues(parsed.error.issues));
    }
    const call = api[method] as (request: unknown) => Promise<unknown>;
    return call(parsed.data);
  };
}
