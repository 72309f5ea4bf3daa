import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { delimiter, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { repoRoot } from '../support/environment.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';

// The README's set-up command on a fresh clone of what is committed, as a newcomer runs it: the
// system's Node and npm, nothing built, nothing installed. Slow (a whole install and build), so once.
const SET_UP = 'npm install && npm start';
const ADDRESS = /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+$/m;

/** The caller's environment without what `npm run` and `npx` add (their PATH entries, npm_* config). */
function newcomerEnvironment(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && key !== 'NODE' && key !== 'INIT_CWD') {
      env[key] = value;
    }
  }
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((entry) => !entry.includes('node_modules') && !entry.includes('node-gyp-bin'))
    .join(delimiter);
  return { ...env, ...extra };
}

/** Resolves with everything printed up to and including the address line, or rejects if it exits first. */
function waitForAddress(child: ChildProcess, output: { text: string }): Promise<string> {
  return new Promise((resolvePromise, rejectPromise) => {
    const onData = (chunk: Buffer): void => {
      output.text += chunk.toString();
      const address = ADDRESS.exec(output.text);
      if (address) {
        resolvePromise(address[0]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => rejectPromise(new Error(`\`${SET_UP}\` exited ${code} before printing an address:\n${output.text}`)));
  });
}

/** Stops the whole chain (sh, npm, start, serve) and waits until every one of them has let go of its output. */
async function stopAll(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.pid === undefined || (child.stdout?.closed && child.stderr?.closed)) {
    return;
  }
  const closed = once(child, 'close');
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
  await closed;
}

test('a fresh clone: `npm install && npm start` installs quietly and serves the app at the address it prints', async ({ page }) => {
  test.setTimeout(10 * 60_000);
  const clone = join(tempDir('concord-first-run-'), 'concord');
  const cloned = spawnSync('git', ['clone', '--quiet', repoRoot, clone], { encoding: 'utf8' });
  expect(cloned.status, cloned.stderr).toBe(0);

  const child = spawn('sh', ['-c', SET_UP], {
    cwd: clone,
    // Its own process group, so the whole chain (sh, npm, start, serve) can be stopped at once.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: newcomerEnvironment({
      CONCORD_LIBRARY: join(tempDir(), 'library'),
      // No Electron binary here, whatever the network allows: `npm start` must fall back to the browser host.
      ELECTRON_OVERRIDE_DIST_PATH: tempDir('concord-no-electron-'),
    }),
  });
  const output = { text: '' };
  try {
    const address = await waitForAddress(child, output);
    const [install, start] = output.text.split(/^> concord@[^\n]* start$/m) as [string, string | undefined];

    // What item 3 promises: the install reads clean.
    expect(start, output.text).toBeDefined();
    expect(install).not.toMatch(/EBADENGINE/);
    expect(install).not.toMatch(/install-scripts/);
    // (the lines npm echoes a script by start with `> `; one of them passes `--logLevel warn` to Vite)
    expect(install.split('\n').filter((line) => !line.startsWith('> ') && /warn/i.test(line))).toEqual([]);
    expect(install).toMatch(/^added \d+ packages/m);
    // One plain sentence says why the desktop app is not starting, then the address; nothing like a crash.
    const said = (start ?? '').split('\n').filter((line) => line.trim() !== '' && !line.startsWith('> '));
    expect(said).toEqual([
      'The desktop app cannot start here (its Electron runtime is not installed and could not be downloaded), so the browser host is starting instead; open the address below.',
      address,
    ]);

    // The address gives the React app's page, not an error: trade the token, read the page, fetch its script.
    const traded = await fetch(address, { redirect: 'manual' });
    expect(traded.status).toBe(303);
    const session = (traded.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(session).toMatch(/^concord_session=/);
    const base = new URL('/', address);
    const html = await (await fetch(base, { headers: { Cookie: session } })).text();
    expect(html).toContain('<div id="root"></div>');
    const script = /<script type="module" crossorigin src="([^"]+\.js)"><\/script>/.exec(html)?.[1];
    expect(script, html).toBeDefined();
    const asset = await fetch(new URL(script ?? '', base));
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await asset.text()).length).toBeGreaterThan(0);

    // And in a browser it runs: the empty library's import page.
    await page.goto(address);
    await expect(page).toHaveURL(base.href);
    await expect(page.getByText('No studies yet.')).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('first-run.png') });

    // Stopped as a user stops it (the page still open): every process ends and the address stops answering.
    await stopAll(child, 'SIGTERM');
    await expect(fetch(base)).rejects.toThrow();
  } finally {
    await stopAll(child, 'SIGKILL');
    cleanupTempDirs();
  }
});
