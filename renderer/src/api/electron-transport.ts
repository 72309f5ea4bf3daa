import type { Transport } from '../../../shared/api/contract.ts';
import { apiErrorFromWire } from '../../../shared/api/errors.ts';
import type { IpcReply } from '../../../shared/api/ipc.ts';

/** What the Electron preload exposes: the API's transport and nothing else. */
export interface ConcordBridge {
  /** Answers the call's reply as data: errors keep their code across the context bridge. */
  invoke(method: string, request: unknown): Promise<IpcReply>;
  subscribe(listener: (event: unknown) => void): () => void;
}

export function electronBridge(): ConcordBridge | null {
  const candidate = (window as unknown as { concord?: ConcordBridge }).concord;
  return candidate && typeof candidate.invoke === 'function' ? candidate : null;
}

export function createElectronTransport(bridge: ConcordBridge): Transport {
  return {
    invoke: async (method, request) => {
      const reply = await bridge.invoke(method, request);
      if (!reply || typeof reply !== 'object' || !('ok' in reply)) {
        throw apiErrorFromWire(null, `malformed reply to ${method}`);
      }
      if (!reply.ok) {
        throw apiErrorFromWire(reply.error, `${method} failed`);
      }
      return reply.value;
    },
    subscribe: (listener) => bridge.subscribe(listener),
  };
}
