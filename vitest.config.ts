import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import { mediasoupWorkerEnv } from './tests/helpers/worker-bin';

/**
 * Unit, integration and renderer tests: the core under Node with real SQLite, real tools
 * (ffprobe, xorriso, qpdf, pdfsig, openssl) and real servers on loopback; renderer logic
 * and components in jsdom (files that need it say `// @vitest-environment jsdom`).
 */
export default defineConfig({
  // The renderer's alias for electron/shared, as in electron.vite.config.ts.
  resolve: { alias: { '@shared': resolve('electron/shared') } },
  test: {
    include: [
      'tests/unit/**/*.test.ts',
      'tests/integration/**/*.test.ts',
      'tests/renderer/**/*.test.{ts,tsx}',
      // Screens of the renderer against a real core (in-memory transport), in jsdom.
      'tests/ui/**/*.test.tsx',
    ],
    environment: 'node',
    // The live room's SFU worker (built by scripts/setup.sh where none can be downloaded).
    env: mediasoupWorkerEnv(),
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: a small pool keeps timing-sensitive integration tests honest.
    maxWorkers: 2,
  },
});
