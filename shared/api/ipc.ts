import type { ApiErrorCode } from './errors.ts';

/** The desktop app's IPC channels: one for every API call, two for the event subscription. */
export const IPC_CHANNELS = {
  invoke: 'concord:invoke',
  subscribe: 'concord:subscribe',
  event: 'concord:event',
} as const;

/** An API error as it crosses a process boundary (HTTP body or IPC reply): plain data, no class. */
export interface WireError {
  code: ApiErrorCode;
  message: string;
  details?: unknown;
}

/**
 * What an IPC call answers. Errors travel as data: Electron keeps only an Error's message across
 * processes and the context bridge, and the renderer needs the code.
 */
export type IpcReply = { ok: true; value: unknown } | { ok: false; error: WireError };
