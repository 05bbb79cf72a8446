import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer: a static bundle loaded by Electron (file/app protocol) or by web mode under a strict CSP
// (script-src 'self'; style-src 'self'), so everything is emitted as files and the base is relative.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Inlined assets would become data: URLs that a strict CSP may refuse.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
