import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { IPC_CHANNELS } from '../../shared/api/ipc.ts';
import type { IpcReply } from '../../shared/api/ipc.ts';

// The preload exposes exactly the renderer's transport (see renderer/src/api/electron-transport.ts):
// two functions that call fixed channels. ipcRenderer itself, its events and the channel names never
// reach the page.
const listeners = new Set<(event: unknown) => void>();
let subscribed = false;

ipcRenderer.on(IPC_CHANNELS.event, (_event: IpcRendererEvent, payload: unknown) => {
  for (const listener of listeners) {
    listener(payload);
  }
});

contextBridge.exposeInMainWorld('concord', {
  invoke: (method: string, request: unknown): Promise<IpcReply> => ipcRenderer.invoke(IPC_CHANNELS.invoke, String(method), request) as Promise<IpcReply>,
  subscribe: (listener: (event: unknown) => void): (() => void) => {
    if (typeof listener !== 'function') {
      throw new TypeError('subscribe needs a function');
    }
    listeners.add(listener);
    if (!subscribed) {
      subscribed = true;
      ipcRenderer.send(IPC_CHANNELS.subscribe);
    }
    return () => {
      listeners.delete(listener);
    };
  },
});
