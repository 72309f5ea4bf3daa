import type { ApiDispatcher } from '../host/api-dispatcher.ts';
import { APP_HOST, APP_SCHEME } from '../host/app-protocol.ts';
import { ApiError } from '../../shared/api/errors.ts';
import type { IpcReply } from '../../shared/api/ipc.ts';

/** The part of Electron's WebFrameMain the adapter looks at (kept structural, so it is tested under Node). */
export interface SenderFrame {
  url: string;
  /** null for a top-level frame. */
  parent: unknown;
}

/**
 * Only the app's own page in a top-level frame may call the API: not an iframe, not a page that
 * somehow navigated elsewhere, not a frame already gone (null).
 */
export function isAppFrame(frame: SenderFrame | null | undefined): boolean {
  return Boolean(frame) && frame?.parent === null && isAppUrl(frame.url);
}

/** Whether a URL is a page of the app itself (concord://app/...), with nothing else in its authority. */
export function isAppUrl(address: string): boolean {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return false;
  }
  // Compared by parts: in Node a URL of a non-web scheme has the origin "null".
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === '' && url.port === '';
}

function wireError(error: unknown): IpcReply {
  if (error instanceof ApiError) {
    return { ok: false, error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } };
  }
  // An unexpected failure crosses as its message only: no stack, no paths of this machine beyond it.
  return { ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : 'internal error' } };
}

/**
 * The thin Electron side of the API: check who is calling, then the shared dispatcher (the same one
 * the browser host uses) validates the method and request. Never throws: every answer is an IpcReply.
 */
export function createIpcInvokeHandler(dispatch: ApiDispatcher): (frame: SenderFrame | null | undefined, method: unknown, request: unknown) => Promise<IpcReply> {
  return async (frame, method, request) => {
    if (!isAppFrame(frame)) {
      return wireError(new ApiError('forbidden', 'API calls are accepted only from the app’s own page'));
    }
    try {
      if (typeof method !== 'string') {
        throw new ApiError('bad-request', 'the method name must be a string');
      }
      return { ok: true, value: await dispatch(method, request) };
    } catch (error) {
      return wireError(error);
    }
  };
}
