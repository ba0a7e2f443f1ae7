import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{main,preload,renderer,shared,scripts}/**/*.test.{ts,tsx}'],
    environment: 'node',
    // Generous: some tests spawn the CLI several times, and CI shares two cores.
    testTimeout: 60_000,
    // Two cores: keep the pool small so integration tests with real daemons do not starve.
    maxWorkers: 2,
  },
});
