import { defineConfig } from 'vitest/config';

/** Unit and integration tests: the core under Node, real SQLite, real servers on loopback. */
export default defineConfig({
  test: {
    include: [
      'tests/unit/**/*.test.ts',
      'tests/integration/**/*.test.ts',
      'tests/renderer/**/*.test.{ts,tsx}',
    ],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: keep the pool small so timing-sensitive integration tests stay honest.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
