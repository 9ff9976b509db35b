/**
 * `npm run rules` — traceability of the regulations' rules (../shared/REQUIREMENTS.md):
 * for every ID of the catalogue, the source files and the tests that name it, and its
 * state: `tested` (a test names it), `code only` (named in src/ or the schema, no test),
 * `not built` (named nowhere). Fails (exit 1) when a test or source file names an ID the
 * catalogue lacks, or writes a range (`SEC-5..7`) instead of one ID per token, since a
 * range hides the IDs inside it from `grep -w`.
 *
 *   npm run rules              # the table, then a summary
 *   npm run rules -- --missing # only the IDs that no test names
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const CATALOGUE_CANDIDATES = [
  process.env.REQUIREMENTS_PATH,
  path.join(ROOT, '..', 'shared', 'REQUIREMENTS.md'),
  path.join(ROOT, 'REQUIREMENTS.md'),
].filter((p): p is string => Boolean(p));
const PREFIXES = ['INFO', 'STAT', 'ARCH', 'SEC', 'DB'];
const TOKEN = new RegExp(`\\b(${PREFIXES.join('|')})-(\\d+)(?:\\.\\.(\\d+))?\\b`, 'g');

/** IDs a text names; a range `A-3..5` is expanded (and reported by the caller where ranges are not allowed). */
function idsIn(text: string): { ids: string[]; ranges: string[] } {
  const ids: string[] = [];
  const ranges: string[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const [token, prefix, from, to] = match;
    if (to === undefined) {
      ids.push(`${prefix}-${from}`);
      continue;
    }
    ranges.push(token);
    for (let n = Number(from); n <= Number(to); n++) ids.push(`${prefix}-${n}`);
  }
  return { ids, ranges };
}

function walk(dir: string, skip: (full: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (skip(full)) return [];
    return entry.isDirectory() ? walk(full, skip) : [full];
  });
}

const catalogueFile = CATALOGUE_CANDIDATES.find((candidate) => existsSync(candidate));
if (!catalogueFile) {
  console.error(`rules: REQUIREMENTS.md not found (looked in ${CATALOGUE_CANDIDATES.join(', ')})`);
  process.exit(2);
}
const catalogue = [...new Set(idsIn(readFileSync(catalogueFile, 'utf8')).ids)].sort((a, b) => {
  const [pa = '', na = '0'] = a.split('-');
  const [pb = '', nb = '0'] = b.split('-');
  return PREFIXES.indexOf(pa) - PREFIXES.indexOf(pb) || Number(na) - Number(nb);
});

const generated = path.join(ROOT, 'src', 'generated');
const sourceFiles = [
  ...walk(path.join(ROOT, 'src'), (full) => full === generated).filter((f) => f.endsWith('.ts')),
  path.join(ROOT, 'prisma', 'schema.prisma'),
];
const testFiles = walk(path.join(ROOT, 'tests'), () => false).filter((f) => f.endsWith('.ts'));

const problems: string[] = [];
function index(files: string[]): Map<string, string[]> {
  const byId = new Map<string, string[]>();
  for (const file of files) {
    const relative = path.relative(ROOT, file);
    const { ids, ranges } = idsIn(readFileSync(file, 'utf8'));
    for (const range of new Set(ranges)) problems.push(`${relative}: writes the range ${range}; name each ID`);
    for (const id of new Set(ids)) byId.set(id, [...(byId.get(id) ?? []), relative]);
  }
  return byId;
}
const inSource = index(sourceFiles);
const inTests = index(testFiles);

const known = new Set(catalogue);
for (const [id, files] of inTests) {
  if (!known.has(id)) problems.push(`${files.join(', ')}: names ${id}, which the catalogue lacks`);
}
for (const [id, files] of inSource) {
  if (!known.has(id)) problems.push(`${files.join(', ')}: names ${id}, which the catalogue lacks`);
}

const onlyMissing = process.argv.includes('--missing');
const counts = { tested: 0, 'code only': 0, 'not built': 0 };
const lines: string[] = [];
for (const id of catalogue) {
  const tests = inTests.get(id) ?? [];
  const source = inSource.get(id) ?? [];
  const state = tests.length ? 'tested' : source.length ? 'code only' : 'not built';
  counts[state]++;
  if (onlyMissing && state === 'tested') continue;
  const list = (files: string[]) => (files.length ? files.join(' ') : '—');
  lines.push(`${id.padEnd(8)} ${state.padEnd(9)}  src: ${list(source)}\n${' '.repeat(20)}tests: ${list(tests)}`);
}
console.log(lines.join('\n'));
console.log(
  `\n${catalogue.length} rules in ${path.relative(ROOT, catalogueFile)}: ${counts.tested} tested, ` +
    `${counts['code only']} named in code only, ${counts['not built']} not built yet.`,
);
if (problems.length) {
  console.error(`\n${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
