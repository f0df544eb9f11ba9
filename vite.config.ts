import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { precompress } from './scripts/precompress.mjs';

// The renderer is built once and served two ways: by Electron from disk, and by the room server
// as the browser page. Relative asset paths make it work under any secret path prefix.
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [
    react(),
    {
      // The room server serves these .br/.gz files and compresses nothing at run time.
      name: 'precompress',
      apply: 'build',
      async closeBundle() {
        await precompress(new URL('./dist/renderer', import.meta.url).pathname);
      },
    },
  ],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
  },
  worker: { format: 'es' },
});
