import { defineConfig } from 'vitest/config';
import { findPostgresBinaries } from './tests/helpers/postgres-server.js';

/**
 * Two projects run the same database and end-to-end tests: on embedded PGlite, and on a
 * throwaway PostgreSQL server when its binaries are installed. REQUIRE_POSTGRES=1 (set by
 * .ci/run) turns a missing PostgreSQL into a failure instead of a skipped project.
 */
const hasPostgres = findPostgresBinaries() !== undefined;
if (!hasPostgres && process.env.REQUIRE_POSTGRES === '1') {
  throw new Error('REQUIRE_POSTGRES=1 but no PostgreSQL binaries were found (apt-get install postgresql)');
}
if (!hasPostgres) console.warn('PostgreSQL binaries not found: running the suite on PGlite only.');

const DATABASE_TESTS = ['tests/integration/**/*.test.ts', 'tests/e2e/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'pglite', include: ['tests/**/*.test.ts'], env: { TEST_DATABASE: 'pglite' } },
      },
      ...(hasPostgres
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: DATABASE_TESTS,
                env: { TEST_DATABASE: 'postgres' },
                globalSetup: ['tests/setup/postgres.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
