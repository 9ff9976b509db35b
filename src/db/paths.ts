import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root, whether running from src/ under tsx or from a test. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCHEMA_PATH = path.join(PROJECT_ROOT, 'prisma', 'schema.prisma');
export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'prisma', 'migrations');
