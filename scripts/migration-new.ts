/**
 * `npm run migration:new -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql
 * with the SQL that brings the existing migrations up to prisma/schema.prisma.
 * Hand-written SQL (triggers, functions) may be appended to the new file before committing.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MIGRATIONS_DIR } from '../src/db/paths.js';
import { diffMigrationsToSchema } from '../src/db/schema-engine.js';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run migration:new -- <name in snake_case>');
  process.exit(2);
}
const sql = await diffMigrationsToSchema();
if (!sql) {
  console.log('prisma/schema.prisma and the migrations agree: nothing to write.');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
await mkdir(dir, { recursive: true });
await writeFile(path.join(dir, 'migration.sql'), `${sql}\n`);
console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
