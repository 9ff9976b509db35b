/**
 * How `/kh find` reaches names through an index instead of reading every customer.
 *
 * pg_trgm makes no trigram from Chinese in a cluster whose ctype is C, nor from anything
 * shorter than three characters, so names are cut into pieces of our own: each name's one-
 * and two-character pieces are kept in CustomerSearchGram (written with the search row, in
 * its transaction: search-text.ts), those it starts with marked as such. A query is looked up
 * there by itself if it is one character, else by each of its two-character pieces: every
 * name containing the query holds them all, and the LIKE on the row then confirms it is
 * whole. Matches outside the name (code, phone, pinyin: rank 4 in find-customers.ts) go
 * through pg_trgm's index on the search text, or a walk in customer order.
 *
 * Every character here is a code point, as PostgreSQL's substr counts them.
 */

/** Code points, as PostgreSQL's substr counts characters. */
const charsOf = (text: string) => [...text];

/**
 * Marks a piece as the start of a name. A real `^` in a name only makes a few more
 * candidates, which the LIKE on the row then rules out.
 */
const START = '^';

/**
 * The pieces of a name key kept in CustomerSearchGram: the character and the pair it starts
 * with, marked as its start (`^杭`, `^杭州`), and every other character and adjacent pair
 * (`州`, `州华`…), once each. The SQL function customer_name_grams does the same.
 */
export function nameGrams(nameKey: string): string[] {
  const chars = charsOf(nameKey);
  const grams = new Set<string>();
  if (chars.length > 0) grams.add(`${START}${chars[0]}`);
  if (chars.length > 1) grams.add(`${START}${chars[0]}${chars[1]}`);
  for (let i = 1; i < chars.length; i++) {
    grams.add(chars[i] as string);
    if (i + 1 < chars.length) grams.add(`${chars[i]}${chars[i + 1]}`);
  }
  return [...grams];
}

/** Pairs with a Latin letter or digit first: few names have one, so their lists are shortest. */
function pairsOf(chars: string[]): string[] {
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) pairs.add(`${chars[i]}${chars[i + 1]}`);
  const latin = (pair: string) => /[a-z0-9]/.test(pair);
  return [...[...pairs].filter(latin), ...[...pairs].filter((pair) => !latin(pair))];
}

/**
 * The pieces every name holding this (normalized) query after its first character holds (rank
 * 3, names containing it but not starting with it): the query itself if it is one character,
 * otherwise each pair of adjacent characters.
 */
export function nameQueryGrams(query: string): string[] {
  const chars = charsOf(query);
  return chars.length === 1 ? chars : pairsOf(chars);
}

/**
 * The pieces of every name starting with this (normalized) query (rank 2): how it starts, and
 * for a longer query its pairs after the first (rarer, so they come first).
 */
export function prefixQueryGrams(query: string): string[] {
  const chars = charsOf(query);
  const start = `${START}${chars.slice(0, 2).join('')}`;
  return chars.length <= 2 ? [start] : [...pairsOf(chars.slice(1)), start];
}
