// Production build of the renderer, run from the repository root (`vite build --config renderer/vite.config.ts`):
// relative asset paths (the shell serves it from a custom protocol), no remote content, one output folder
// that the shell and the e2e tests load.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: false,
    // The grid alone is ~1 MB minified; one chunk loads faster from disk than a waterfall of small ones.
    chunkSizeWarningLimit: 2500,
  },
});
