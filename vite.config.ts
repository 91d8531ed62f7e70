/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

/**
 * Cross-origin isolation (COOP + COEP) is what makes `SharedArrayBuffer` available in the page.
 * Both the dev server and `vite preview` send the headers; `public/_headers` carries the same pair
 * for static hosts that read one, and `public/coi-sw.js` adds them where a host can set none.
 */
export const crossOriginIsolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

export default defineConfig({
  // Relative asset URLs, so the built app works from any sub-path (GitHub Pages and similar).
  base: './',
  plugins: [react()],
  // The app's version, which share links carry (a link from another version says so).
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  worker: { format: 'es' },
  server: { port: 5173, strictPort: true, headers: crossOriginIsolationHeaders },
  preview: { headers: crossOriginIsolationHeaders },
  build: {
    target: 'es2023',
    sourcemap: true,
    // The app, and the pages `npm run bench` drives in headless Chromium (transport, timeline render).
    rollupOptions: { input: { main: 'index.html', bench: 'bench.html', timelineBench: 'timeline-bench.html' } },
  },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts'],
    environment: 'node',
    // Property tests run many cases; keep them inside a generous budget on a 2-core machine.
    testTimeout: 60_000,
  },
});
