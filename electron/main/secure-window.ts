import { BrowserWindow } from 'electron';
import type { BrowserWindowConstructorOptions } from 'electron';

export interface SecureWindowOptions extends Omit<BrowserWindowConstructorOptions, 'webPreferences'> {
  /** A file or folder dropped on the window: Chromium navigates to its file: URL, which is stopped and handed here. */
  onFileDropped?(url: string): void;
}

/** Every window Concord opens: isolated, sandboxed, no Node, no navigation away, no pop-ups, no web views. */
export function createSecureWindow(preload: string, { onFileDropped, ...options }: SecureWindowOptions = {}): BrowserWindow {
  const window = new BrowserWindow({
    backgroundColor: '#0b0d10',
    ...options,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: true,
      spellcheck: false,
    },
  });
  const contents = window.webContents;
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    if (event.url.startsWith('file:')) {
      onFileDropped?.(event.url);
    }
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // No pop-ups at all: a link out of a DICOM header or a report must not open anything.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  return window;
}
