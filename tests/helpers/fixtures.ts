/** Factories with overrides for domain tests. */
import type { UseCaseContext } from '../../src/domain/context.js';
import type { RawCustomerInput, ValidatedCustomer } from '../../src/domain/customers/customer-input.js';
import { validateCustomerInput } from '../../src/domain/customers/customer-input.js';
import type { Role } from '../../src/domain/people/roles.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';

export const TIME_ZONE = 'Asia/Shanghai';
/** 2026-11-28 10:00 in Shanghai. */
export const NOW = new Date('2026-11-28T02:00:00.000Z');

export function ctx(db: PrismaClient, slackUserId: string, now: Date = NOW): UseCaseContext {
  return { db, now, actor: { slackUserId }, timeZone: TIME_ZONE };
}

export async function givePerson(
  db: PrismaClient,
  slackUserId: string,
  roles: Role[],
  department?: string,
): Promise<number> {
  const dept = department
    ? await db.department.upsert({ where: { name: department }, create: { name: department }, update: {} })
    : undefined;
  const person = await db.person.upsert({
    where: { slackUserId },
    create: { slackUserId, roles, departmentId: dept?.id ?? null },
    update: { roles, departmentId: dept?.id ?? null },
  });
  return person.id;
}

export function rawCustomer(overrides: RawCustomerInput = {}): RawCustomerInput {
  return {
    name: '华为技术有限公司',
    kind: 'dealer',
    legalRepresentative: '赵明',
    address: '广东省深圳市龙岗区坂田街道',
    postalCode: '518129',
    phone: '0755-28780808',
    secrecyLevel: 'restricted',
    secrecyUntil: '2029-12-31',
    ...overrides,
  };
}

export function validCustomer(overrides: RawCustomerInput = {}, now: Date = NOW): ValidatedCustomer {
  const result = validateCustomerInput(rawCustomer(overrides), { now, timeZone: TIME_ZONE });
  if (!result.ok) throw new Error(`fixture customer is invalid: ${JSON.stringify(result.errors)}`);
  return result.value;
}
