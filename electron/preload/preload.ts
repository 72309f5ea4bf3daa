import { contextBridge } from 'electron';

// The preload exposes the typed workstation API and nothing else; the renderer never sees ipcRenderer.
contextBridge.exposeInMainWorld('concordShell', { kind: 'electron' as const });
