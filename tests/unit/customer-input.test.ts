import { describe, expect, it } from 'vitest';
import { validateCustomerInput } from '../../src/domain/customers/customer-input.js';
import { NOW, rawCustomer, TIME_ZONE } from '../helpers/fixtures.js';

const validate = (overrides: Parameters<typeof rawCustomer>[0]) =>
  validateCustomerInput(rawCustomer(overrides), { now: NOW, timeZone: TIME_ZONE });

function errorsOf(overrides: Parameters<typeof rawCustomer>[0]) {
  const result = validate(overrides);
  return result.ok ? {} : result.errors;
}

describe('the standardized customer record (INFO-4, ARCH-8)', () => {
  it('INFO-4: accepts a complete record and types its values', () => {
    const result = validate({
      registeredCapital: '1,200.50',
      staffCount: '35',
      foundedOn: '2001-05-04',
      creditCode: '91440300708461136t',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.data).toMatchObject({
      registeredCapital: '1200.5',
      staffCount: 35,
      foundedOn: new Date('2001-05-04T00:00:00Z'),
      creditCode: '91440300708461136T',
      fax: null,
      specialCategory: null,
    });
    expect(result.value.ownerSlackUserId).toBeNull();
  });

  it('INFO-4: every required field is required', () => {
    const result = validateCustomerInput({}, { now: NOW, timeZone: TIME_ZONE });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(
      ['address', 'kind', 'legalRepresentative', 'name', 'phone', 'postalCode', 'secrecyLevel'].sort(),
    );
  });

  it.each([
    [{ postalCode: '51812' }, 'postalCode', 'invalid_postal_code'],
    [{ postalCode: '5181290' }, 'postalCode', 'too_long'],
    [{ phone: '12345' }, 'phone', 'invalid_phone'],
    [{ phone: '0755-2878080a' }, 'phone', 'invalid_phone'],
    [{ fax: '++86' }, 'fax', 'invalid_phone'],
    [{ registeredCapital: '-1' }, 'registeredCapital', 'negative'],
    [{ registeredCapital: '12.345' }, 'registeredCapital', 'not_a_number'],
    [{ registeredCapital: '2000000000000' }, 'registeredCapital', 'too_large'],
    [{ staffCount: '3.5' }, 'staffCount', 'not_an_integer'],
    [{ routeOrder: '-2' }, 'routeOrder', 'negative'],
    [{ creditCode: '9144030070846113IO' }, 'creditCode', 'invalid_credit_code'],
    [{ foundedOn: '2026-02-30' }, 'foundedOn', 'invalid_date'],
    [{ tradeStartedOn: '2026-11-29' }, 'tradeStartedOn', 'date_in_future'],
    [{ name: '华' }, 'name', 'too_short'],
    [{ name: '华'.repeat(121) }, 'name', 'too_long'],
    [{ kind: 'alien' }, 'kind', 'invalid_choice'],
    [{ kind: 'special' }, 'specialCategory', 'special_category_required'],
    [{ secrecyLevel: 'cosmic' }, 'secrecyLevel', 'invalid_choice'],
    [{ secrecyUntil: '' }, 'secrecyUntil', 'secrecy_until_required'],
    [{ secrecyUntil: '2026-11-27' }, 'secrecyUntil', 'secrecy_until_past'],
    [{ ownerSlackUserId: 'not a user' }, 'ownerSlackUserId', 'invalid_user'],
  ] as const)('INFO-4: %o is refused on %s with %s', (overrides, field, code) => {
    expect(errorsOf(overrides)[field]).toMatchObject({ code });
  });

  it('SEC-7: the period covers its last day and ends at the next company-local midnight', () => {
    const result = validate({ secrecyUntil: '2026-11-28' });
    expect(result.ok && result.value.data.secrecyUntil).toEqual(new Date('2026-11-28T16:00:00Z'));
  });

  it('SEC-7: an unclassified customer has no period even if one was entered', () => {
    const result = validate({ secrecyLevel: 'unclassified', secrecyUntil: '2030-01-01' });
    expect(result.ok && result.value.data.secrecyUntil).toBeNull();
  });

  it('INFO-3: the special category is kept only for special customers', () => {
    const special = validate({ kind: 'special', specialCategory: 'bank' });
    expect(special.ok && special.value.data.specialCategory).toBe('bank');
    const dealer = validate({ kind: 'dealer', specialCategory: 'bank' });
    expect(dealer.ok && dealer.value.data.specialCategory).toBeNull();
  });

  it('cleans white space and control characters from text', () => {
    const result = validate({ name: '  华为\u0007技术   有限公司 ', mainDealings: ' 第一行\r\n第二行 ' });
    expect(result.ok && result.value.data.name).toBe('华为技术 有限公司');
    expect(result.ok && result.value.data.mainDealings).toBe('第一行\n第二行');
  });
});
