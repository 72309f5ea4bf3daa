// Bundles the Node side (command line and import worker) into dist/node with esbuild.
import { build } from 'esbuild';

await build({
  entryPoints: { concord: 'electron/cli/entry.ts' },
  outdir: 'dist/node',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
