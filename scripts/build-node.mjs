// Bundles the Node side with esbuild: the command line (also the import worker's entry), the import
// reader thread's entry (small, so it starts fast) and the Electron main process as ESM side by side
// (the services find their workers next to themselves), and the preload as CommonJS (a sandboxed
// preload must be CommonJS).
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', packages: 'external', sourcemap: true, logLevel: 'warning' };

await Promise.all([
  build({
    ...common,
    entryPoints: { concord: 'electron/cli/entry.ts', 'import-reader': 'electron/services/import/reader-worker.ts', 'electron-main': 'electron/main/main.ts' },
    outdir: 'dist/node',
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    // Shared code goes to chunks, so `concord serve`'s host loads only when that command runs. Chunks
    // stay beside the entries: modules find import-reader.mjs and concord.mjs next to themselves.
    splitting: true,
    target: 'node22',
  }),
  build({
    ...common,
    entryPoints: { preload: 'electron/preload/preload.ts' },
    outdir: 'dist/electron',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    target: 'node22',
    external: ['electron'],
  }),
]);
