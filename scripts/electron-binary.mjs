// Where the Electron binary is, for `npm start` and the Electron end-to-end test: null where the
// package is not installed or its binary is not there and cannot be downloaded (the binary comes from
// outside the npm registry).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The Electron binary's path, or null with the reason it cannot be had. */
export function findElectronBinary() {
  let entry;
  try {
    entry = require.resolve('electron');
  } catch {
    return { path: null, reason: 'the electron package is not installed' };
  }
  // Loading the package downloads the binary on first use; in a child, that attempt's progress line and
  // fetch error stay off the terminal.
  const probe = spawnSync(process.execPath, ['-e', `process.stdout.write('\\n' + require(${JSON.stringify(entry)}))`], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const path = probe.status === 0 ? probe.stdout.split('\n').pop() : '';
  return path && existsSync(path)
    ? { path, reason: null }
    : { path: null, reason: 'its Electron runtime is not installed and could not be downloaded' };
}
