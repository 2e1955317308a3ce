import { defineConfig } from 'vitest/config';
import { mediasoupWorkerEnv } from './tests/helpers/worker-bin';

/** End-to-end: the built renderer in Debian's Chromium against the real web host. One file at a time. */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    // The live room's SFU worker (built by scripts/setup.sh where none can be downloaded).
    env: mediasoupWorkerEnv(),
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    maxWorkers: 1,
    reporters: ['default'],
  },
});
