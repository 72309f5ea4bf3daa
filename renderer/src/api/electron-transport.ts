import type { Transport } from '../../../shared/api/contract.ts';

/** What the Electron preload exposes: the API's transport and nothing else. */
export interface ConcordBridge {
  invoke(method: string, request: unknown): Promise<unknown>;
  subscribe(listener: (event: unknown) => void): () => void;
}

export function electronBridge(): ConcordBridge | null {
  const candidate = (window as unknown as { concord?: ConcordBridge }).concord;
  return candidate && typeof candidate.invoke === 'function' ? candidate : null;
}

export function createElectronTransport(bridge: ConcordBridge): Transport {
  return {
    invoke: (method, request) => bridge.invoke(method, request),
    subscribe: (listener) => bridge.subscribe(listener),
  };
}
