import { defineConfig } from 'prisma/config';

// The datasource URL is not needed here: the CLI is only used to generate the client.
// Migrations are applied by src/db/migrate.ts (see notes in README "Database").
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
