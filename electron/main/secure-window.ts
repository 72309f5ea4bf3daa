import { BrowserWindow, dialog } from 'electron';
import type { BrowserWindowConstructorOptions, WebContents } from 'electron';
import { isAppUrl } from './ipc-adapter.ts';

export interface SecureWindowOptions extends Omit<BrowserWindowConstructorOptions, 'webPreferences'> {
  /** A file or folder dropped on the window: Chromium navigates to its file: URL, which is stopped and handed here. */
  onFileDropped?(url: string): void;
}

const BACKGROUND = '#0b0d10';

/**
 * No navigation away and no web views. New windows only for the app's own pages (the viewer's second
 * window for a second monitor): Electron gives them the opener's security settings and preload, and
 * they are guarded the same way. Anything else (a link out of a DICOM header or a report) opens nothing.
 */
function guard(contents: WebContents, onFileDropped: ((url: string) => void) | undefined): void {
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    if (event.url.startsWith('file:')) {
      onFileDropped?.(event.url);
    }
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) =>
    isAppUrl(url) ? { action: 'allow', overrideBrowserWindowOptions: { backgroundColor: BACKGROUND } } : { action: 'deny' },
  );
  contents.on('did-create-window', (child) => guard(child.webContents, onFileDropped));
  // The page refuses to unload while a report draft has unsaved text (renderer/src/ui/leave-guard.ts);
  // Electron shows no question of its own, so the reader is asked here, and leaving goes ahead only if chosen.
  contents.on('will-prevent-unload', (event) => {
    const owner = BrowserWindow.fromWebContents(contents);
    const options = {
      type: 'question' as const,
      buttons: ['Leave', 'Stay'],
      defaultId: 1,
      cancelId: 1,
      message: 'The report draft has changes that are not saved yet.',
      detail: 'Leave anyway? Changes not saved are kept in this app\'s storage and offered back when the report is opened again.',
    };
    if ((owner ? dialog.showMessageBoxSync(owner, options) : dialog.showMessageBoxSync(options)) === 0) {
      event.preventDefault();
    }
  });
}

/** Every window Concord opens: isolated, sandboxed, no Node, no web views, guarded. */
export function createSecureWindow(preload: string, { onFileDropped, ...options }: SecureWindowOptions = {}): BrowserWindow {
  const window = new BrowserWindow({
    backgroundColor: BACKGROUND,
    ...options,
    webPreferences: {
      // The preload is reviewed: it exposes exactly invoke(method, request) and subscribe(listener) over
      // fixed channels, never ipcRenderer (electron/preload/preload.ts); hence the scanner's review note is off.
      preload, // eng-disable PRELOAD_JS_CHECK
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
      // A middle click must not open a link in a new window.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  guard(window.webContents, onFileDropped);
  return window;
}
