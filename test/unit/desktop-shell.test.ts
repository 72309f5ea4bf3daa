import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { createRotatingLog } from '../../electron/main/log-file.ts';
import { VIEWER_SHORTCUTS, menuTemplate } from '../../electron/main/menu.ts';
import { importTargetOf, importTargetsInArgv } from '../../electron/main/open-paths.ts';
import { createSecretStore } from '../../electron/services/secrets/secret-store.ts';
import type { StringEncryptor } from '../../electron/services/secrets/secret-store.ts';
import { DEFAULT_WINDOW_STATE, loadWindowState, saveWindowState } from '../../electron/main/window-state.ts';

let base: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'concord-shell-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('window state', () => {
  it('comes back as saved, and falls back to the default when missing, damaged or absurd', () => {
    const file = join(base, 'state', 'window-state.json');
    expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
    saveWindowState(file, { x: 40, y: 60, width: 1280, height: 800, maximized: true });
    expect(loadWindowState(file)).toEqual({ x: 40, y: 60, width: 1280, height: 800, maximized: true });
    writeFileSync(file, '{"width": 5, "height": 5, "maximized": false}');
    expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
    writeFileSync(file, 'not json');
    expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
  });
});

describe('the rotating log', () => {
  it('moves a full log aside, keeps the configured number of old files, and writes one line per entry', () => {
    const folder = join(base, 'logs');
    const log = createRotatingLog(folder, { maxBytes: 200, keep: 2 });
    for (let n = 0; n < 40; n++) {
      log.write('info', `entry ${n}\nforged 2026-01-01 error line`);
    }
    expect(readdirSync(folder).sort()).toEqual(['concord.1.log', 'concord.2.log', 'concord.log']);
    const current = readFileSync(log.path, 'utf8').trimEnd().split('\n');
    expect(current.at(-1)).toMatch(/^\S+ info entry 39 forged 2026-01-01 error line$/);
    expect(current.every((line) => / info entry \d+ /.test(line))).toBe(true);
  });
});

describe('paths the operating system hands the app', () => {
  it('imports a DICOMDIR’s folder, a .dcm file, a folder; ignores other files, missing paths and switches', () => {
    const cd = join(base, 'cd');
    mkdirSync(join(cd, 'IMAGES'), { recursive: true });
    writeFileSync(join(cd, 'DICOMDIR'), '');
    writeFileSync(join(cd, 'IMAGES', 'one.DCM'), '');
    writeFileSync(join(cd, 'README.TXT'), '');
    expect(importTargetOf(join(cd, 'DICOMDIR'))).toBe(cd);
    expect(importTargetOf(join(cd, 'IMAGES', 'one.DCM'))).toBe(join(cd, 'IMAGES', 'one.DCM'));
    expect(importTargetOf(join(cd, 'IMAGES'))).toBe(join(cd, 'IMAGES'));
    expect(importTargetOf(join(cd, 'README.TXT'))).toBeNull();
    expect(importTargetOf(join(cd, 'missing.dcm'))).toBeNull();
    const argv = ['/opt/Concord/concord', '--enable-logging', '--inspect=9229', 'DICOMDIR', join(cd, 'README.TXT'), 'IMAGES/one.DCM'];
    expect(importTargetsInArgv(argv, cd, 1)).toEqual([cd, join(cd, 'IMAGES', 'one.DCM')]);
  });
});

describe('the secret store', () => {
  // safeStorage exists only inside Electron; this stand-in encrypts reversibly so the test can see
  // that the file holds the encrypted form only.
  const encryptor = (available: boolean): StringEncryptor => ({
    isEncryptionAvailable: () => available,
    encryptString: (text) => Buffer.from([...Buffer.from(text, 'utf8')].map((byte) => byte ^ 0x5a)),
    decryptString: (bytes) => Buffer.from([...bytes].map((byte) => byte ^ 0x5a)).toString('utf8'),
  });

  it('keeps secrets encrypted on disk, returns them, forgets them', () => {
    const file = join(base, 'secrets', 'secrets.json');
    const store = createSecretStore(file, encryptor(true));
    store.set('pacs:orthanc', 'correct horse battery staple');
    expect(readFileSync(file, 'utf8')).not.toContain('correct horse');
    expect(store.get('pacs:orthanc')).toBe('correct horse battery staple');
    store.delete('pacs:orthanc');
    expect(store.get('pacs:orthanc')).toBeNull();
  });

  it('refuses to store where the system offers no encryption, rather than writing clear text', () => {
    const file = join(base, 'secrets', 'plain.json');
    expect(() => createSecretStore(file, encryptor(false)).set('pacs', 'secret')).toThrow(/no encryption/);
    expect(() => readFileSync(file)).toThrow();
  });
});

describe('the native menu', () => {
  it('lists the viewer’s shortcuts without registering plain keys, and presses the same key in the page', () => {
    const pressed: string[] = [];
    let opened = 0;
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const template = menuTemplate(platform, { openFolder: () => (opened += 1), pressKey: (key) => pressed.push(key) });
      const submenu = (label: string): MenuItemConstructorOptions[] => template.find((item) => item.label === label)?.submenu as MenuItemConstructorOptions[];
      const viewer = submenu('Viewer');
      expect(viewer.map((item) => [item.label, item.accelerator, item.registerAccelerator])).toEqual(VIEWER_SHORTCUTS.map(({ label, key }) => [label, key, false]));
      for (const item of viewer) {
        (item.click as () => void)();
      }
      const importItem = submenu('File').find((item) => item.accelerator === 'CmdOrCtrl+O') as MenuItemConstructorOptions;
      (importItem.click as () => void)();
      expect(template.some((item) => item.role === 'appMenu')).toBe(platform === 'darwin');
    }
    expect(pressed).toEqual([...VIEWER_SHORTCUTS, ...VIEWER_SHORTCUTS, ...VIEWER_SHORTCUTS].map(({ key }) => key));
    expect(opened).toBe(3);
  });
});
