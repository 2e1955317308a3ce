import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

/**
 * One build for every entry. Main-process bundles (Node): the Electron shell, the core's
 * utilityProcess entry, the web host and the `attest` CLI. The preload is CommonJS because a
 * sandboxed preload cannot be an ES module.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          core: resolve('electron/core/utility.ts'),
          web: resolve('electron/host/web.ts'),
          cli: resolve('electron/cli/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    // `@shared/…` is electron/shared, the one part of electron/ the renderer may import.
    resolve: { alias: { '@shared': resolve('electron/shared') } },
    build: {
      outDir: resolve('out/renderer'),
      minify: true,
      rollupOptions: { input: resolve('renderer/index.html') },
    },
    plugins: [react()],
  },
});
