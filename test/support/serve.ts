import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { spawnConcord } from './cli.ts';

export interface RunningHost {
  /** The line `concord serve` printed: the address to open, with the token. */
  openUrl: string;
  base: string;
  origin: string;
  token: string;
  port: number;
  output: string[];
  child: ChildProcess;
  stop(): Promise<number | null>;
}

/** Starts `concord serve` on a free port and waits for the address it prints. */
export async function startServe(
  library: string,
  extraArgs: string[] = [],
  // The environment of the host, or how to spawn it (as another user, in a mount namespace).
  envOrSpawn: NodeJS.ProcessEnv | ((args: string[]) => ChildProcess) = {},
): Promise<RunningHost> {
  const args = ['serve', '--library', library, '--port', '0', ...extraArgs];
  const child = typeof envOrSpawn === 'function' ? envOrSpawn(args) : spawnConcord(args, envOrSpawn);
  const output: string[] = [];
  const openUrl = await new Promise<string>((resolvePromise, rejectPromise) => {
    let buffer = '';
    const timer = setTimeout(() => rejectPromise(new Error(`serve printed no address: ${buffer}`)), 15_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      output.push(...lines);
      if (output.length > 0) {
        clearTimeout(timer);
        resolvePromise(output[0] as string);
      }
    });
    child.once('exit', (code) => rejectPromise(new Error(`serve exited ${code}`)));
  });
  const url = new URL(openUrl);
  return {
    openUrl,
    base: `${url.origin}/`,
    origin: url.origin,
    token: url.searchParams.get('token') ?? '',
    port: Number(url.port),
    output,
    child,
    stop: async () => {
      if (child.exitCode !== null) {
        return child.exitCode;
      }
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

/** Calls one API method of a running host as the page does (token, JSON); the status and the parsed body. */
export async function callApi(host: RunningHost, method: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${host.base}api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
