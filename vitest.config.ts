import { defineConfig } from 'vitest/config';

/**
 * One run, one embedded PostgreSQL server (tests/setup/postgres.ts): each test file that
 * needs a database copies the migrated template. Process tests start the bot itself with
 * `npm start`, which runs its own embedded server in a temporary DATA_DIR.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['tests/setup/postgres.ts'],
    setupFiles: ['tests/setup/matchers.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: [
            'tests/unit/**/*.test.ts',
            'tests/schema/**/*.test.ts',
            'tests/integration/**/*.test.ts',
            'tests/e2e/**/*.test.ts',
          ],
        },
      },
      // The bot and the CLI as real processes: slow, so they run beside the rest.
      { extends: true, test: { name: 'process', include: ['tests/process/**/*.test.ts'] } },
    ],
  },
});
