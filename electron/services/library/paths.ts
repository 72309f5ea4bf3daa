import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const APP_NAME = 'Concord';

/**
 * The per-user application data folder, where Electron's app.getPath('userData') points, so the
 * desktop app, the command line and the browser host share one library by default.
 */
export function userDataDirectory(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') {
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  }
  if (platform === 'darwin') {
    return join(homedir(), 'Library', 'Application Support', APP_NAME);
  }
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}

/** `--library DIR` wins, then CONCORD_LIBRARY, then the embedded default. */
export function resolveLibraryDirectory(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) {
    return resolve(explicit);
  }
  if (env.CONCORD_LIBRARY) {
    return resolve(env.CONCORD_LIBRARY);
  }
  return join(userDataDirectory(env), 'library');
}

export interface LibraryPaths {
  root: string;
  database: string;
  store: string;
}

export function libraryPaths(root: string): LibraryPaths {
  return {
    root,
    database: join(root, 'concord.sqlite'),
    store: join(root, 'store'),
  };
}
