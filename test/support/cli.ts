import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './environment.ts';

export const cliPath = join(repoRoot, 'bin', 'concord.mjs');

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built command line, as a user would, with the Node that runs the tests. */
export function concord(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

export function concordJson<T>(args: string[], env: NodeJS.ProcessEnv = {}): T {
  const result = concord([...args, '--json'], env);
  if (result.status !== 0) {
    throw new Error(`concord ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return JSON.parse(result.stdout) as T;
}

export function spawnConcord(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Calls `onLine` with every JSON progress line the command writes to standard error (`--progress`). */
export function onProgressLines<T>(child: ChildProcess, onLine: (progress: T) => void): void {
  let pending = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      onLine(JSON.parse(line) as T);
    }
  });
}
