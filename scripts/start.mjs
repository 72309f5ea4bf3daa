// `npm start`: the desktop app on the per-user library. Where the Electron binary cannot be had (it is
// downloaded from outside the npm registry on first run), Concord starts its loopback browser host on
// the same library instead and prints the address to open.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));

function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch (error) {
    process.stderr.write(`Electron is not available here: ${error.message}\n`);
    return null;
  }
}

const binary = process.env.CONCORD_NO_ELECTRON ? null : electronBinary();
const args = process.argv.slice(2);
const child = binary
  ? spawn(binary, [root, ...args], { stdio: 'inherit' })
  : spawn(process.execPath, [fileURLToPath(new URL('../bin/concord.mjs', import.meta.url)), 'serve', ...args], { stdio: 'inherit' });
if (!binary) {
  process.stderr.write('Starting the browser host on the same library instead.\n');
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code) => process.exit(code ?? 0));
