import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the hub at /console: every asset is an external file (the page's
// Content-Security-Policy allows no inline script or style).
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, modulePreload: { polyfill: false } },
  server: { proxy: { '^/(?!console)': 'http://127.0.0.1:3000' } },
});
