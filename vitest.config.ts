import { defineConfig } from 'vitest/config';

/**
 * Each project has one embedded PostgreSQL server for its run (tests/setup/postgres.ts):
 * each test file that needs a database copies the migrated template. Process tests start
 * the bot itself as `npm start` does, which runs its own server in a temporary DATA_DIR
 * (their project's server serves the external DATABASE_URL test).
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['tests/setup/matchers.ts', 'tests/setup/audit-key.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          globalSetup: ['tests/setup/postgres.ts'],
          include: [
            'tests/unit/**/*.test.ts',
            'tests/schema/**/*.test.ts',
            'tests/integration/**/*.test.ts',
            'tests/e2e/**/*.test.ts',
          ],
        },
      },
      // The bot and the CLI as real processes: slow, so they run beside the rest.
      {
        extends: true,
        test: { name: 'process', globalSetup: ['tests/setup/postgres.ts'], include: ['tests/process/**/*.test.ts'] },
      },
      // The local workspace in headless Chromium, against `npm start` with no Slack credentials.
      {
        extends: true,
        test: { name: 'browser', include: ['tests/browser/**/*.test.ts'] },
      },
    ],
  },
});
