import { defineConfig } from 'vitest/config';

/**
 * One run, one embedded PostgreSQL server (tests/setup/postgres.ts): each test file that
 * needs a database copies the migrated template. Process tests start the bot itself with
 * `npm start`, which runs its own embedded server in a temporary DATA_DIR.
 */
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['tests/setup/postgres.ts'],
  },
});
