import type { ApiEvent, ApiMethod, ApiRequest, ApiResponse } from './schemas.ts';

/**
 * Everything the renderer may ask of the Node side. The Electron preload, the loopback browser host
 * and in-process callers are all transports over this one interface.
 */
export type WorkstationApi = {
  [M in ApiMethod]: (request: ApiRequest<M>) => Promise<ApiResponse<M>>;
} & {
  /** Follows jobs and library changes; returns the unsubscribe function. */
  subscribe(listener: (event: ApiEvent) => void): () => void;
};

/** What a transport moves: one request for one method, and a stream of events. */
export interface Transport {
  invoke(method: ApiMethod, request: unknown): Promise<unknown>;
  subscribe(listener: (event: unknown) => void): () => void;
}
