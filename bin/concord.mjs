#!/usr/bin/env node
// The built command line (npm install builds it through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The importer fsyncs a batch of files at once on libuv's thread pool; more threads, more overlap.
process.env.UV_THREADPOOL_SIZE ??= '16';

const entry = new URL('../dist/node/concord.mjs', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('concord: the command line is not built; run `npm install` (or `npm run build`) first.\n');
  process.exit(1);
}
await import(entry.href);
