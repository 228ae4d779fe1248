import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Tests import the package by its own name (`from 'signalbox'`); the `signalbox-source`
  // condition of package.json's exports points those imports at src/ (no build in development).
  ssr: {
    resolve: { conditions: ['signalbox-source', 'module', 'node', 'development|production'] },
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
