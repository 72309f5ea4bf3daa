import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is served from the app's own origin (Electron protocol or the loopback host): relative
// asset URLs keep it working under both.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  // cornerstone decodes in module workers.
  worker: { format: 'es' },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
  },
});
