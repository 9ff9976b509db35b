/**
 * What a request must state (src/domain/approvals/request-input.ts), checked by its zod
 * schema in the domain: the form and createRequest use the same one.
 */
import { describe, expect, it } from 'vitest';
import { validateRequestInput } from '../../src/domain/approvals/request-input.js';
import { optionalText, requiredText, storableText } from '../../src/domain/form-input.js';
import { validateIncidentInput } from '../../src/domain/incidents/incident-input.js';

const base = {
  kind: 'view' as const,
  customerCode: 'KH-2026-0001',
  purpose: '核对合同条款',
  reason: '客户投诉处理',
  requesterProfile: '王磊 销售二部',
};

describe('request input', () => {
  it('INFO-18: purpose, reason and profile are required; the grant defaults to 7 days', () => {
    expect(validateRequestInput({ ...base, purpose: '  ', reason: '' })).toEqual({
      ok: false,
      errors: { purpose: { code: 'required' }, reason: { code: 'required' } },
    });
    const valid = validateRequestInput({ ...base, externalReference: '' });
    expect(valid).toEqual({
      ok: true,
      value: { ...base, requesterType: 'staff', externalReference: null, recipient: null, grantDays: 7 },
    });
  });

  it('INFO-18: a request for someone from outside the company needs their letter or work ID', () => {
    expect(validateRequestInput({ ...base, requesterType: 'outsider', externalReference: ' ' })).toEqual({
      ok: false,
      errors: { externalReference: { code: 'external_reference_required' } },
    });
    expect(
      validateRequestInput({ ...base, requesterType: 'outsider', externalReference: '介绍信 2026-118' }),
    ).toMatchObject({ ok: true, value: { requesterType: 'outsider', externalReference: '介绍信 2026-118' } });
    expect(validateRequestInput({ ...base, requesterType: 'alien' })).toEqual({
      ok: false,
      errors: { requesterType: { code: 'invalid_choice' } },
    });
  });

  it('INFO-18: a view grant is 1 to 30 whole days', () => {
    expect(validateRequestInput({ ...base, grantDays: '30' })).toMatchObject({ ok: true, value: { grantDays: 30 } });
    for (const bad of ['0', '31', '2.5', 'abc'])
      expect(validateRequestInput({ ...base, grantDays: bad })).toEqual({
        ok: false,
        errors: { grantDays: { code: 'not_an_integer' } },
      });
  });

  it('INFO-24: a provision names its recipient; texts have a maximum length', () => {
    expect(validateRequestInput({ ...base, kind: 'provide' })).toEqual({
      ok: false,
      errors: { recipient: { code: 'required' } },
    });
    expect(validateRequestInput({ ...base, requesterProfile: '长'.repeat(501) })).toEqual({
      ok: false,
      errors: { requesterProfile: { code: 'too_long', params: { max: 500 } } },
    });
  });
});

describe('incident input', () => {
  it('SEC-13: what happened, how it was found and what was done are required; a wrong date is refused beside it', () => {
    const raw = { cause: 'leak', description: '', howDiscovered: '巡检发现', remedy: '已收回', since: '2026-13-40' };
    expect(validateIncidentInput(raw, 'Asia/Shanghai')).toEqual({
      ok: false,
      errors: { description: { code: 'required' }, since: { code: 'invalid_date' } },
    });
    expect(validateIncidentInput({ ...raw, cause: 'rumour', description: '外泄', since: '' }, 'Asia/Shanghai')).toEqual(
      {
        ok: false,
        errors: { cause: { code: 'invalid_choice' } },
      },
    );
  });

  it('INFO-27: the window starts at the start of the given day in company time', () => {
    const valid = validateIncidentInput(
      { cause: 'fire', description: '档案室起火', howDiscovered: '烟感报警', remedy: '已扑灭', since: '2026-11-01' },
      'Asia/Shanghai',
    );
    expect(valid).toMatchObject({ ok: true, value: { since: new Date('2026-10-31T16:00:00Z'), customerCodes: '' } });
  });
});

describe('text PostgreSQL can store', () => {
  it('a NUL is dropped and half a surrogate pair becomes U+FFFD; whole pairs stay', () => {
    expect(storableText('十月\u0000说明')).toBe('十月说明');
    expect(storableText('a\uD800b')).toBe('a\uFFFDb');
    expect(storableText('😀')).toBe('😀');
    expect(requiredText(10).safeParse('\u0000').success).toBe(false);
    expect(optionalText(10).parse(' x\u0000 ')).toBe('x');
  });
});
