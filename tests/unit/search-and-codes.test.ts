import { describe, expect, it } from 'vitest';
import { formatCode, parseCode } from '../../src/domain/codes.js';
import { buildSearchText } from '../../src/domain/customers/search-index.js';
import { nameKey, normalizeQuery } from '../../src/domain/customers/search-text.js';

describe('search text and customer codes (DB-11)', () => {
  it('matches 华为 by its initials and full pinyin, code and phone digits', () => {
    const text = buildSearchText({ name: '华为技术有限公司', code: 'KH-2026-0001', phone: '0755-2878 0808' });
    expect(text).toContain('hw');
    expect(text).toContain('huawei');
    expect(text).toContain('kh-2026-0001');
    expect(text).toContain('075528780808');
    // The name itself is matched by its key and pieces, not through this text.
    expect(text).not.toContain('华为');
  });

  it('keeps Latin letters and digits in names searchable', () => {
    expect(buildSearchText({ name: 'ABC重庆分公司', code: 'KH-2026-0002', phone: '023-1234567' })).toContain(
      'abcchongqing',
    );
  });

  it('two spellings of one name share a key; queries lose spaces and separators', () => {
    expect(nameKey(' 华为 技术 ')).toBe(nameKey('华为技术'));
    expect(nameKey('ＡＢＣ公司')).toBe('abc公司');
    expect(normalizeQuery(' Hua Wei|x ')).toBe('huaweix');
  });

  it('DB-11: codes carry the year and acquisition order; typed codes are normalised', () => {
    expect(formatCode('customer', 2026, 7)).toBe('KH-2026-0007');
    expect(formatCode('customer', 2026, 12345)).toBe('KH-2026-12345');
    expect(parseCode('customer', ' kh-2026-7 ')).toBe('KH-2026-0007');
    expect(parseCode('customer', 'KH-26-0007')).toBeUndefined();
    expect(parseCode('customer', '华为')).toBeUndefined();
  });
});
