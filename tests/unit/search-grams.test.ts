/**
 * How names and queries are cut for the search indexes (search-grams.ts): one- and
 * two-character pieces of names and how they start, widths folded by normalizeQuery.
 */
import { describe, expect, it } from 'vitest';
import { nameGrams, nameQueryGrams, prefixQueryGrams } from '../../src/domain/customers/search-grams.js';
import { nameKey, normalizeQuery } from '../../src/domain/customers/search-text.js';

describe('name pieces kept in CustomerSearchGram', () => {
  it.each([
    // How the name starts (^), then every other character and pair.
    ['华为', ['^华', '^华为', '为']],
    ['西溪湿地', ['^西', '^西溪', '溪', '溪湿', '湿', '湿地', '地']],
    // Latin letters and digits too: `hz` or `tc` in a name is found through them.
    ['tcl科技', ['^t', '^tc', 'c', 'cl', 'l', 'l科', '科', '科技', '技']],
    // Each piece once, however often it occurs; a start is also an inner piece if it recurs.
    ['上海上海', ['^上', '^上海', '海', '海上', '上', '上海']],
    // A character outside the BMP is one character, as PostgreSQL counts it.
    ['𠀋华', ['^𠀋', '^𠀋华', '华']],
    ['华', ['^华']],
  ])('%s → %j', (name, grams) => {
    expect(nameGrams(nameKey(name)).sort()).toEqual([...grams].sort());
  });
});

describe('what a query looks up', () => {
  it.each([
    // One character by itself; longer, each adjacent pair, Latin pairs first.
    ['华', ['华']],
    ['西溪', ['西溪']],
    ['西溪湿地', ['西溪', '溪湿', '湿地']],
    ['tcl科技', ['tc', 'cl', 'l科', '科技']],
    ['科a技', ['科a', 'a技']],
    ['hz', ['hz']],
    ['hangzhou', ['ha', 'an', 'ng', 'gz', 'zh', 'ho', 'ou']],
  ])('names containing %s → %j', (query, inNames) => {
    expect(nameQueryGrams(normalizeQuery(query))).toEqual(inNames);
  });

  it.each([
    // Names starting with a short query: by how they start.
    ['杭', ['^杭']],
    ['杭州', ['^杭州']],
    // A longer one: by its pairs after the first (rarer), then how it starts.
    ['杭州华信', ['州华', '华信', '^杭州']],
  ])('names starting with %s → %j', (query, grams) => {
    expect(prefixQueryGrams(query)).toEqual(grams);
  });

  it('full-width letters and digits fold to half-width before they are cut (NFKC)', () => {
    expect(normalizeQuery('ＴＣＬ科技　１３９')).toBe('tcl科技139');
    expect(nameQueryGrams(normalizeQuery('ＴＣＬ科技'))).toEqual(['tc', 'cl', 'l科', '科技']);
  });
});
