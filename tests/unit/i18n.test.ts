/**
 * The catalogues (src/blocks/i18n): both languages have every message with the same
 * placeholders (the types check a call against zh-CN; this checks en against zh-CN), every
 * domain error has a message, and lists are joined the way each language writes them.
 */
import { describe, expect, it } from 'vitest';
import { en } from '../../src/blocks/i18n/en.js';
import { listOf, t } from '../../src/blocks/i18n/index.js';
import { zhCN } from '../../src/blocks/i18n/zh-CN.js';
import { ERROR_CODES } from '../../src/domain/errors.js';

const placeholders = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n catalogues', () => {
  it('en has exactly the keys of zh-CN, each with the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    const differing = (Object.keys(zhCN) as (keyof typeof zhCN)[]).filter(
      (key) => JSON.stringify(placeholders(zhCN[key])) !== JSON.stringify(placeholders(en[key])),
    );
    expect(differing).toEqual([]);
  });

  it('every domain error code has a message', () => {
    const missing = ERROR_CODES.filter((code) => !(`error.${code}` in zhCN));
    expect(missing).toEqual([]);
  });

  it('t fills placeholders in the chosen language', () => {
    expect(t('zh-CN', 'error.customer_not_found', { code: 'KH-2026-0001' })).toContain('KH-2026-0001');
    expect(t('en', 'error.customer_not_found', { code: 'KH-2026-0001' })).toBe('No customer KH-2026-0001 was found.');
  });

  it('lists are joined as each language writes them (Intl.ListFormat)', () => {
    expect(listOf('zh-CN', ['甲', '乙', '丙'])).toBe('甲、乙、丙');
    expect(listOf('en', ['A', 'B', 'C'])).toBe('A, B, C');
    expect(listOf('zh-CN', ['部门负责人', '档案管理人员'], 'and')).toBe('部门负责人和档案管理人员');
    expect(listOf('en', ['head', 'archivist', 'manager'], 'or')).toBe('head, archivist, or manager');
  });
});
