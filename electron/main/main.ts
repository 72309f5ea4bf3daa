import { join } from 'node:path';
import { app } from 'electron';
import { createSecureWindow } from './secure-window.ts';

// The desktop shell is thin: every capability lives in electron/services and runs without Electron.
app.enableSandbox();

async function start(): Promise<void> {
  await app.whenReady();
  const window = createSecureWindow(join(__dirname, 'preload.cjs'), { width: 1600, height: 1000, title: 'Concord' });
  await window.loadFile(join(__dirname, '..', 'renderer', 'index.html'));
}

app.on('window-all-closed', () => app.quit());
void start();
