import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * Builds the REST API Tokens page (Preact, JSX through Vite's own oxc transform) into
 * `dist/page-ui/`, which tokengate serves at `/tokengate/`. Asset URLs are relative (`./assets/…`)
 * so the page also works behind a proxy path prefix. No CDN, nothing inline (strict CSP).
 *
 * npx vite build --config src/page/ui/vite.config.ts
 */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  publicDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: resolve(import.meta.dirname, '../../../dist/page-ui'),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
});
