/**
 * How names and queries are cut for the search indexes (search-grams.ts): one- and
 * two-character pieces of Chinese, trigram runs of ASCII, widths folded by normalizeQuery.
 */
import { describe, expect, it } from 'vitest';
import { nameGrams, queryGrams, trigramsServe } from '../../src/domain/customers/search-grams.js';
import { nameKey, normalizeQuery } from '../../src/domain/customers/search-text.js';

describe('name pieces kept in CustomerSearchGram', () => {
  it.each([
    ['华为', ['华', '华为', '为']],
    ['西溪湿地', ['西', '西溪', '溪', '溪湿', '湿', '湿地', '地']],
    // Latin letters and digits are left to pg_trgm; a pair never spans them.
    ['tcl科技2号店', ['科', '科技', '技', '号', '号店', '店']],
    ['abc', []],
    // Each piece once, however often it occurs.
    ['上海上海', ['上', '上海', '海', '海上']],
    // A character outside the BMP is one character, as PostgreSQL counts it.
    ['𠀋华', ['𠀋', '𠀋华', '华']],
  ])('%s → %j', (name, grams) => {
    expect(nameGrams(nameKey(name)).sort()).toEqual([...grams].sort());
  });
});

describe('query pieces', () => {
  it.each([
    // One character: itself. Two: the pair (rarer than either character).
    ['华', ['华']],
    ['西溪', ['西溪']],
    // Longer runs: each adjacent pair; every matching name holds them all.
    ['西溪湿地', ['西溪', '溪湿', '湿地']],
    // Mixed Chinese and Latin: the Chinese runs only (the Latin run goes to pg_trgm).
    ['tcl科技', ['科技']],
    ['科a技', ['科', '技']],
    // Pairs first, so the search starts from the rarest list.
    ['华x西溪', ['西溪', '华']],
    ['hangzhou', []],
    ['13912345678', []],
  ])('%s → %j', (query, grams) => {
    expect(queryGrams(normalizeQuery(query))).toEqual(grams);
  });

  it('full-width letters and digits fold to half-width before they are cut (NFKC)', () => {
    expect(normalizeQuery('ＴＣＬ科技　１３９')).toBe('tcl科技139');
    expect(queryGrams(normalizeQuery('ＴＣＬ科技'))).toEqual(['科技']);
    expect(trigramsServe(normalizeQuery('ＴＣＬ'))).toBe(true);
  });
});

describe('which queries pg_trgm serves', () => {
  it.each([
    ['hangzhou', true], // full pinyin
    ['hzx', true], // initials of three
    ['hw', false], // initials of two: too short for a trigram
    ['1391', true], // phone digits, four or more
    ['kh-2026-0001', true], // a code
    ['西溪', false], // Chinese: no trigrams in a C ctype
    ['tcl科技', true], // its Latin run
    ['a科b技', false],
  ])('%s → %s', (query, served) => {
    expect(trigramsServe(query)).toBe(served);
  });
});
