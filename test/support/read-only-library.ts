import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { dirname } from 'node:path';
import { cliPath } from './cli.ts';
import type { CliResult } from './cli.ts';

/**
 * How the tests make a library really read-only, as a read-only share or a burned disc is. As root, a
 * permission bit stops nothing, so the command runs in its own mount namespace where the library folder
 * is bind-mounted read-only (the file system answers EROFS; the mount ends with the process). Where
 * mounting is not allowed: as another user (root drops to nobody), with the library's write bits removed.
 */
export interface ReadOnlyRunner {
  /** What makes it read-only: 'read-only mount' or 'no write permission'. */
  kind: string;
  /** The command line, prefixed as needed, that runs `concord args` against the read-only library. */
  command(args: string[]): [string, string[]];
}

function mountWorks(library: string): boolean {
  const probe = spawnSync('unshare', ['-m', 'sh', '-c', 'mount --bind -o ro "$0" "$0" && ! touch "$0/.probe" 2>/dev/null', library], { stdio: 'ignore' });
  return probe.status === 0;
}

export function readOnlyRunner(library: string): ReadOnlyRunner {
  const node = [process.execPath, cliPath];
  if (process.getuid?.() === 0 && mountWorks(library)) {
    return {
      kind: 'read-only mount',
      command: (args) => ['unshare', ['-m', 'sh', '-c', 'mount --bind -o ro "$0" "$0" && exec "$@"', library, ...node, ...args]],
    };
  }
  spawnSync('chmod', ['-R', 'a-w', library]);
  if (process.getuid?.() !== 0) {
    return { kind: 'no write permission', command: (args) => [node[0] as string, [...node.slice(1), ...args]] };
  }
  // nobody must reach the library through its parent (a private temporary folder).
  chmodSync(dirname(library), 0o755);
  return {
    kind: 'no write permission',
    command: (args) => ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...node, ...args]],
  };
}

export function runReadOnly(runner: ReadOnlyRunner, args: string[]): CliResult {
  const [command, rest] = runner.command(args);
  const result = spawnSync(command, rest, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

export function spawnReadOnly(runner: ReadOnlyRunner, args: string[]): ChildProcess {
  const [command, rest] = runner.command(args);
  return spawn(command, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
}
