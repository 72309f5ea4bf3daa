// `npm start`: the desktop app on the per-user library. Where the Electron binary cannot be had (it is
// downloaded from outside the npm registry on first run), Concord starts its loopback browser host on
// the same library instead and prints the address to open.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));

/** The Electron binary's path, or null where it is not installed and cannot be downloaded. */
function electronBinary() {
  let entry;
  try {
    entry = require.resolve('electron');
  } catch {
    return null;
  }
  // Loading the package downloads the binary on first use; in a child, that attempt's progress line and
  // fetch error stay off the terminal.
  const probe = spawnSync(process.execPath, ['-e', `process.stdout.write('\\n' + require(${JSON.stringify(entry)}))`], {
    encoding: 'utf8',
  });
  const path = probe.status === 0 ? probe.stdout.split('\n').pop() : '';
  return path && existsSync(path) ? path : null;
}

const binary = process.env.CONCORD_NO_ELECTRON ? null : electronBinary();
const args = process.argv.slice(2);
if (!binary) {
  process.stderr.write(
    process.env.CONCORD_NO_ELECTRON
      ? 'CONCORD_NO_ELECTRON is set, so the browser host is starting instead of the desktop app; open the address below.\n'
      : 'The desktop app cannot start here (its Electron runtime is not installed and could not be downloaded), so the browser host is starting instead; open the address below.\n',
  );
}
const child = binary
  ? spawn(binary, [root, ...args], { stdio: 'inherit' })
  : spawn(process.execPath, [fileURLToPath(new URL('../bin/concord.mjs', import.meta.url)), 'serve', ...args], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code) => process.exit(code ?? 0));
