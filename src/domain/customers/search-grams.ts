/**
 * How `/kh find` reaches its matches through indexes instead of reading every customer.
 *
 * - A run of three or more ASCII letters or digits (codes, phone digits, full pinyin,
 *   initials, Latin names) is served by pg_trgm's trigram index on the search text.
 * - Chinese (any non-ASCII) is not: pg_trgm makes no trigram from it in a cluster whose ctype
 *   is C, nor from anything shorter than three characters. So each name's non-ASCII one- and
 *   two-character pieces are kept in CustomerSearchGram (written with the search row, in its
 *   transaction: search-text.ts), and a query's non-ASCII runs are looked up there: a run of one character
 *   by itself, a longer run by each of its two-character pieces (every match contains all of
 *   them; the LIKE on the row then confirms the run is whole).
 *
 * Every character here is a code point, as PostgreSQL's substr counts them.
 */

/** An ASCII character: pg_trgm's business, never a piece of ours. */
const isAscii = (char: string) => (char.codePointAt(0) ?? 0) < 0x80;

/** The non-ASCII runs of a text: `tcl科技ab西溪` → [`科技`, `西溪`]. */
function nonAsciiRuns(text: string): string[][] {
  const runs: string[][] = [];
  let run: string[] = [];
  for (const char of text) {
    if (isAscii(char)) {
      if (run.length) runs.push(run);
      run = [];
    } else run.push(char);
  }
  if (run.length) runs.push(run);
  return runs;
}

/**
 * The pieces of a name key kept in CustomerSearchGram: every non-ASCII character and every
 * pair of adjacent non-ASCII characters, once each (the SQL function customer_name_grams).
 */
export function nameGrams(nameKey: string): string[] {
  const grams = new Set<string>();
  for (const run of nonAsciiRuns(nameKey)) {
    for (let i = 0; i < run.length; i++) {
      grams.add(run[i] as string);
      if (i + 1 < run.length) grams.add(`${run[i]}${run[i + 1]}`);
    }
  }
  return [...grams];
}

/**
 * The pieces every name matching this (normalized) query contains: each one-character run
 * itself, each longer run's two-character pieces. Empty for a query without non-ASCII.
 */
export function queryGrams(query: string): string[] {
  const pairs = new Set<string>();
  const singles = new Set<string>();
  for (const run of nonAsciiRuns(query)) {
    if (run.length === 1) singles.add(run[0] as string);
    for (let i = 0; i + 1 < run.length; i++) pairs.add(`${run[i]}${run[i + 1]}`);
  }
  // Pairs first: a pair is rarer than a character, so the search starts from its list.
  return [...pairs, ...singles];
}

/** Whether pg_trgm can serve the query: it holds a run of three ASCII letters or digits. */
export function trigramsServe(query: string): boolean {
  return /[a-z0-9]{3}/i.test(query);
}
