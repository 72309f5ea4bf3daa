import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import type { Rolldown } from 'vite';

/** What the page's and the decode workers' builds report: warnings that need a person, nothing else. */
const buildLogs: Rolldown.InputOptions = {
  // A build-time profile of plugins, not a problem to report on every install.
  checks: { bundlerTimings: false },
  onLog(level, log, report) {
    // cornerstone's codecs (Emscripten builds) and vtk.js's XML library also run under Node; their
    // `fs`, `path` and `url` imports are never reached in a browser, so Vite's empty stand-ins are right.
    if (log.plugin === 'rolldown:vite-resolve' && log.message.includes('has been externalized for browser compatibility')) {
      return;
    }
    report(level, log);
  },
};

// The renderer is served from the app's own origin (Electron protocol or the loopback host): relative
// asset URLs keep it working under both.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  // cornerstone decodes in module workers.
  worker: { format: 'es', rolldownOptions: buildLogs },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    // The page is read from disk or the loopback host, never over a network: one large bundle costs nothing.
    chunkSizeWarningLimit: 8 * 1024,
    rolldownOptions: buildLogs,
  },
});
