import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveLibraryDirectory, userDataDirectory } from '../../electron/services/library/paths.ts';

describe('library location', () => {
  it('defaults to the per-user application data folder, as Electron names it', () => {
    expect(userDataDirectory({ XDG_CONFIG_HOME: '/home/u/.config' }, 'linux')).toBe(join('/home/u/.config', 'Concord'));
    expect(userDataDirectory({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toContain('Concord');
    expect(userDataDirectory({}, 'darwin')).toMatch(/Library[\\/]Application Support[\\/]Concord$/);
    expect(resolveLibraryDirectory(undefined, { XDG_CONFIG_HOME: '/x' })).toBe(join('/x', 'Concord', 'library'));
  });

  it('prefers --library, then CONCORD_LIBRARY', () => {
    expect(resolveLibraryDirectory('lib', { CONCORD_LIBRARY: '/env' })).toBe(resolve('lib'));
    expect(resolveLibraryDirectory(undefined, { CONCORD_LIBRARY: '/env' })).toBe('/env');
  });
});
