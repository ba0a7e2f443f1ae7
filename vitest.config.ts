import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{main,preload,renderer,shared,scripts}/**/*.test.{ts,tsx}'],
    environment: 'node',
    // Generous: some tests spawn the CLI several times, and CI shares two cores.
    testTimeout: 60_000,
    // In CI the real sandbox and pty tests share two loaded cores with everything else; a test that
    // fails twice fails. Locally a failure is reported at once.
    retry: process.env.CI ? 1 : 0,
    // Two cores: keep the pool small so integration tests with real daemons do not starve.
    maxWorkers: 2,
  },
});
