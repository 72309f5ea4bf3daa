import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkRendererBuilt, startWebHost } from '../host/web-host.ts';
import { resolveLibraryDirectory } from '../services/library/paths.ts';
import { createWorkstation } from '../services/workstation/workstation.ts';
import { SERVE_HELP } from './help.ts';
import type { Output } from './common.ts';
import { UsageError } from './common.ts';

export async function serveCommand(args: string[], io: Output): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      library: { type: 'string' },
      port: { type: 'string', default: '0' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.out(SERVE_HELP);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a port number, not ${values.port}`);
  }
  // This module is built into a chunk beside the command line's bundle; the built renderer sits next to
  // that folder. Checked before the library is opened: without the page there is nothing to serve.
  const rendererDir = resolve(process.env.CONCORD_RENDERER_DIR || fileURLToPath(new URL('../renderer', import.meta.url)));
  checkRendererBuilt(rendererDir);
  // The command line's bundle is also the import worker's entry.
  const workstation = createWorkstation(resolveLibraryDirectory(values.library), new URL('./concord.mjs', import.meta.url));
  const host = await startWebHost({
    api: workstation,
    instanceDelivery: (uid) => workstation.instanceDelivery(uid),
    documentBytes: (uid) => workstation.documentBytes(uid),
    rendererDir,
    port,
  });
  io.out(host.openUrl);
  await new Promise<void>((resolvePromise) => {
    process.once('SIGINT', () => resolvePromise());
    process.once('SIGTERM', () => resolvePromise());
  });
  await host.close();
  await workstation.close();
  return 0;
}
