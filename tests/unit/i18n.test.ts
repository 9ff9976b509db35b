/**
 * The catalogues (src/blocks/i18n): both languages have every message with the same
 * placeholders (the types check a call against zh-CN; this checks en against zh-CN), every
 * domain error has a message, and lists are joined the way each language writes them.
 */
import { describe, expect, it } from 'vitest';
import { domainErrorText } from '../../src/blocks/errors.js';
import { en } from '../../src/blocks/i18n/en.js';
import { listOf, t } from '../../src/blocks/i18n/index.js';
import { zhCN } from '../../src/blocks/i18n/zh-CN.js';
import { DomainError, ERROR_CODES } from '../../src/domain/errors.js';

const placeholders = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n catalogues', () => {
  it('en has exactly the keys of zh-CN, each with the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    const differing = (Object.keys(zhCN) as (keyof typeof zhCN)[]).filter(
      (key) => JSON.stringify(placeholders(zhCN[key])) !== JSON.stringify(placeholders(en[key])),
    );
    expect(differing).toEqual([]);
  });

  it('SEC-12: a literal < or > is written &lt; &gt;, as Slack mrkdwn needs; only mentions and channels stay', () => {
    // `/kh find <名称>` unescaped reads to Slack as a link to 名称 (seen in the local workspace).
    const raw = [...Object.entries(zhCN), ...Object.entries(en)].filter(([, text]) =>
      /<(?![@#][{A-Z])|(?<![}A-Z0-9])>/.test(text.replace(/<[@#]\{?\w+\}?>/g, '')),
    );
    expect(raw).toEqual([]);
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

  it('error parameters that name roles or states are rendered in the language, never as enum names', () => {
    const error = new DomainError('request_no_approvers', { roles: ['archivist', 'service_manager'] });
    expect(domainErrorText('zh-CN', error)).toBe(
      t('zh-CN', 'error.request_no_approvers', {
        roles: listOf('zh-CN', [t('zh-CN', 'role.archivist'), t('zh-CN', 'role.service_manager')], 'or'),
      }),
    );
    expect(domainErrorText('en', error)).toContain('Archivist or Service manager');
    const closed = new DomainError('request_closed', { code: 'SQ-2026-0001', state: 'approved' });
    expect(domainErrorText('zh-CN', closed)).toBe(
      t('zh-CN', 'error.request_closed', { code: 'SQ-2026-0001', state: t('zh-CN', 'request.state.approved') }),
    );
    expect(domainErrorText('zh-CN', closed)).not.toMatch(/已已|approved/);
  });
});
