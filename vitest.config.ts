import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{main,preload,renderer,shared,scripts}/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 20_000,
    // Two cores: keep the pool small so integration tests with real daemons do not starve.
    maxWorkers: 2,
  },
});
