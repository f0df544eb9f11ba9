import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is built once and served two ways: by Electron from disk, and by the room server
// as the browser page. Relative asset paths make it work under any secret path prefix.
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
  },
  worker: { format: 'es' },
});
