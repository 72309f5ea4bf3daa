import { createApiClient } from '../../../shared/api/client.ts';
import type { WorkstationApi } from '../../../shared/api/contract.ts';
import { createElectronTransport, electronBridge } from './electron-transport.ts';
import { createHttpTransport } from './http-transport.ts';

/** The renderer talks to this interface only; in Electron through the preload, elsewhere over HTTP. */
function pickTransport(): ReturnType<typeof createHttpTransport> {
  const bridge = electronBridge();
  return bridge ? createElectronTransport(bridge) : createHttpTransport();
}

export const api: WorkstationApi = createApiClient(pickTransport());
