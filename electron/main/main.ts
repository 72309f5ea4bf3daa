import { userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Menu, app, dialog, ipcMain, protocol, safeStorage, session } from 'electron';
import type { BrowserWindow, WebContents } from 'electron';
import { createApiDispatcher } from '../host/api-dispatcher.ts';
import { APP_ORIGIN, APP_SCHEME, createAppProtocolHandler } from '../host/app-protocol.ts';
import { resolveLibraryDirectory } from '../services/library/paths.ts';
import { MediaWatcher, ejectVolume, presentDriveRoots } from '../services/media/removable-media.ts';
import type { DicomVolume } from '../services/media/removable-media.ts';
import { createWorkstation } from '../services/workstation/workstation.ts';
import { IPC_CHANNELS } from '../../shared/api/ipc.ts';
import type { ApiEvent } from '../../shared/api/schemas.ts';
import { createImportQueue } from './import-queue.ts';
import { createIpcInvokeHandler, isAppFrame } from './ipc-adapter.ts';
import { createRotatingLog } from './log-file.ts';
import { menuTemplate } from './menu.ts';
import { importTargetOf, importTargetsInArgv } from './open-paths.ts';
import { createSecretStore } from '../services/secrets/secret-store.ts';
import { createSecureWindow } from './secure-window.ts';
import { loadWindowState, saveWindowState } from './window-state.ts';

// The desktop shell is thin: every capability lives in electron/services and runs without Electron.
// Built as ESM beside the command line's bundle (dist/node), so the services find their workers
// (import-reader.mjs, concord.mjs) next to themselves as they do under `concord`.
const here = fileURLToPath(new URL('.', import.meta.url));
const MEDIA_POLL_MS = 3000;

// Must happen before ready: concord:// behaves like https for the page (a secure origin, fetch and
// XHR for images, streams; corsEnabled lets module workers and WebAssembly load from it, same origin).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true, codeCache: true } },
]);
app.enableSandbox();
// A separate profile (window state, log, lock, default library) for tests and second installations.
if (process.env.CONCORD_USER_DATA) {
  app.setPath('userData', process.env.CONCORD_USER_DATA);
}

if (!app.requestSingleInstanceLock()) {
  // Another Concord owns the library: it receives this launch's paths through 'second-instance'.
  app.quit();
} else {
  void start();
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const log = createRotatingLog(join(userData, 'logs'));
  // Observed, not handled: a crash still ends the app as it would, but leaves its trace in the log.
  process.on('uncaughtExceptionMonitor', (error) => log.write('error', error.stack ?? error.message));
  // CONCORD_LIBRARY wins, as for the command line; otherwise the library in this profile's data folder
  // (the same folder `concord` uses by default, since both name it after the product).
  const libraryRoot = resolveLibraryDirectory(process.env.CONCORD_LIBRARY || join(userData, 'library'));
  log.write('info', `starting on the library at ${libraryRoot}`);

  // The command line's bundle is also the import worker's entry: imports run in a worker thread, off this
  // loop. In a package it is read from the unpacked copy: worker threads cannot load from the asar archive.
  const workerEntry = new URL('./concord.mjs', import.meta.url.replace('/app.asar/', '/app.asar.unpacked/'));
  let workstation: ReturnType<typeof createWorkstation>;
  try {
    workstation = createWorkstation(libraryRoot, workerEntry);
  } catch (error) {
    // A damaged or foreign index (or a newer schema) is refused before anything is written: say why and stop.
    log.write('error', (error as Error).message);
    dialog.showErrorBox('Concord cannot open its library', (error as Error).message);
    app.exit(1);
    return;
  }
  const dispatch = createApiDispatcher(workstation);
  const invoke = createIpcInvokeHandler(dispatch);
  // Later issues (PACS credentials) read and write secrets through this store only.
  const secrets = createSecretStore(join(userData, 'secrets.json'), safeStorage);
  void secrets;

  // Opening files from the OS may happen before the window exists (macOS sends open-file early): they
  // wait until the page is loaded.
  const imports = createImportQueue({ dispatch, eject: (path) => ejectVolume(process.platform, path), log: log.write });
  const beforeLoad: string[] = [];
  let loaded = false;
  const queueImport = (target: string | null): void => {
    if (target !== null) {
      if (loaded) {
        imports.add(target);
      } else {
        beforeLoad.push(target);
      }
    }
  };
  app.on('open-file', (event, path) => {
    event.preventDefault();
    queueImport(importTargetOf(path));
  });
  // A packaged app's arguments follow its executable; in development they follow `electron <app folder>`.
  const firstUserArgument = app.isPackaged ? 1 : 2;
  beforeLoad.push(...importTargetsInArgv(process.argv, process.cwd(), firstUserArgument));

  await app.whenReady();
  const appSession = session.defaultSession;
  appSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  appSession.setPermissionCheckHandler(() => false);
  protocol.handle(
    APP_SCHEME,
    createAppProtocolHandler({
      rendererDir: join(here, '..', 'renderer'),
      instanceDelivery: (uid) => workstation.instanceDelivery(uid),
      documentBytes: (uid) => workstation.documentBytes(uid),
    }),
  );

  ipcMain.handle(IPC_CHANNELS.invoke, async (event, method: unknown, request: unknown) => {
    const reply = await invoke(event.senderFrame, method, request);
    if (!reply.ok && reply.error.code === 'forbidden') {
      log.write('warn', `API call refused from ${JSON.stringify(event.senderFrame?.url ?? null).slice(0, 200)}`);
    }
    return reply;
  });
  const subscribers = new Set<WebContents>();
  ipcMain.on(IPC_CHANNELS.subscribe, (event) => {
    if (isAppFrame(event.senderFrame) && !subscribers.has(event.sender)) {
      subscribers.add(event.sender);
      event.sender.once('destroyed', () => subscribers.delete(event.sender));
    }
  });
  const publish = (event: ApiEvent): void => {
    for (const contents of subscribers) {
      contents.send(IPC_CHANNELS.event, event);
    }
  };
  workstation.subscribe((event) => {
    publish(event);
    if (event.type === 'job') {
      imports.onJob(event.job);
    }
  });

  const stateFile = join(userData, 'window-state.json');
  const state = loadWindowState(stateFile);
  const window = createSecureWindow(join(here, '..', 'electron', 'preload.cjs'), {
    ...(state.x === undefined || state.y === undefined ? {} : { x: state.x, y: state.y }),
    width: state.width,
    height: state.height,
    title: 'Concord',
    show: false,
    onFileDropped: (url) => queueImport(importTargetOf(fileURLToPath(url))),
  });
  if (state.maximized) {
    window.maximize();
  }
  window.once('ready-to-show', () => window.show());
  window.on('close', () => saveWindowState(stateFile, { ...window.getNormalBounds(), maximized: window.isMaximized() }));

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate(process.platform, {
        openFolder: () => {
          void dialog.showOpenDialog(window, { title: 'Import DICOM', properties: ['openDirectory', 'openFile', 'multiSelections'] }).then(({ filePaths }) => {
            for (const path of filePaths) {
              queueImport(importTargetOf(path));
            }
          });
        },
        pressKey: (key) => {
          window.webContents.sendInputEvent({ type: 'keyDown', keyCode: key });
          window.webContents.sendInputEvent({ type: 'keyUp', keyCode: key });
        },
      }),
    ),
  );

  app.on('second-instance', (_event, argv, workingDirectory) => {
    for (const target of importTargetsInArgv(argv, workingDirectory, firstUserArgument)) {
      queueImport(target);
    }
    if (window.isMinimized()) {
      window.restore();
    }
    window.focus();
  });

  const watcher = new MediaWatcher({ platform: process.platform, username: userInfo().username, listDrives: presentDriveRoots }, (volume) => {
    log.write('info', `DICOM media inserted: ${volume.path}`);
    publish({ type: 'media-inserted', volume });
    void offerMediaImport(window, volume);
  });
  watcher.prime();
  const poll = setInterval(() => watcher.poll(), MEDIA_POLL_MS);

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    clearInterval(poll);
    void workstation.close();
  });

  await window.loadURL(`${APP_ORIGIN}/index.html`);
  loaded = true;
  for (const target of beforeLoad.splice(0)) {
    imports.add(target);
  }

  async function offerMediaImport(owner: BrowserWindow, volume: DicomVolume): Promise<void> {
    const { response } = await dialog.showMessageBox(owner, {
      type: 'question',
      buttons: ['Import', 'Import and Eject', 'Not Now'],
      defaultId: 0,
      cancelId: 2,
      message: `“${volume.label.slice(0, 80)}” holds DICOM images.`,
      detail: 'Concord copies the images into its library; nothing on the disc is run.',
    });
    if (response === 2) {
      return;
    }
    imports.add(volume.path, { ejectAfter: response === 1 });
  }
}
