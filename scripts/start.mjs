// `npm start`: the desktop app on the per-user library. Where the Electron binary cannot be had (it is
// downloaded from outside the npm registry on first run), Concord starts its loopback browser host on
// the same library instead and prints the address to open.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './electron-binary.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
// What the desktop app and the browser host load; any one missing means a build first.
const BUILT = ['dist/node/concord.mjs', 'dist/node/electron-main.mjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html'];

if (BUILT.some((file) => !existsSync(join(root, file)))) {
  process.stderr.write('Concord is not fully built yet; building it first (npm run build).\n');
  // npm sets npm_execpath for its scripts; run that npm with this Node (no shell, also on Windows).
  const npm = process.env.npm_execpath;
  const built = npm
    ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (built.status !== 0) {
    process.stderr.write('The build failed; see the messages above.\n');
    process.exit(built.status ?? 1);
  }
}

const binary = process.env.CONCORD_NO_ELECTRON ? null : findElectronBinary().path;
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
