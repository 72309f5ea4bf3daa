import { BrowserWindow, shell } from 'electron';
import type { BrowserWindowConstructorOptions } from 'electron';

/** Every window Concord opens: isolated, sandboxed, no Node, no navigation away, no pop-ups. */
export function createSecureWindow(preload: string, options: BrowserWindowConstructorOptions = {}): BrowserWindow {
  const window = new BrowserWindow({
    backgroundColor: '#0b0d10',
    ...options,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) {
      void shell.openExternal(url);
    }
    return { action: 'deny' };
  });
  return window;
}
