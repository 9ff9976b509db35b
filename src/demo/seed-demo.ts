/**
 * `npm run cli -- seed demo`: a realistic demo ledger in Chinese — departments, a person
 * for every role, ~200 customers across regions, kinds and secrecy levels — created through
 * the same use cases as the bot, so every row is validated and audited.
 */

import { appendAuditEvent } from '../domain/audit/append-audit-event.js';
import type { Db } from '../domain/context.js';
import { SYSTEM_ACTOR } from '../domain/context.js';
import { ARCH5_MATERIALS } from '../domain/custody/submission-rules.js';
import { setSubmissionRules } from '../domain/custody/submissions.js';
import { createCustomer } from '../domain/customers/create-customer.js';
import { validateCustomerInput } from '../domain/customers/customer-input.js';
import type { Role } from '../domain/people/roles.js';
import { COMPANY_WORDS } from './vocabulary.js';

const DEPARTMENTS = ['客户服务部', '销售一部', '销售二部', '财务部', '电脑部', '总经理办公室'];

/** Fake Slack ids (UDEMO…) so the demo never collides with real users. */
export const DEMO_PEOPLE: { id: string; name: string; roles: Role[]; department: string }[] = [
  { id: 'UDEMOADMIN1', name: '系统管理员 周宁', roles: ['admin'], department: '电脑部' },
  { id: 'UDEMOSALES1', name: '销售 王磊', roles: ['sales'], department: '销售一部' },
  { id: 'UDEMOSALES2', name: '销售 李娜', roles: ['sales'], department: '销售一部' },
  { id: 'UDEMOSALES3', name: '销售 张伟', roles: ['sales'], department: '销售二部' },
  { id: 'UDEMOSERV1', name: '客服 陈静', roles: ['service'], department: '客户服务部' },
  { id: 'UDEMOARCH1', name: '档案管理 刘洋', roles: ['archivist'], department: '客户服务部' },
  { id: 'UDEMOSUPV1', name: '客户信息主管 杨帆', roles: ['supervisor'], department: '客户服务部' },
  { id: 'UDEMOSMGR1', name: '客服部经理 赵敏', roles: ['service_manager', 'dept_head'], department: '客户服务部' },
  { id: 'UDEMODIR1', name: '客户总监 黄涛', roles: ['director'], department: '客户服务部' },
  { id: 'UDEMOGM1', name: '总经理 吴强', roles: ['general_manager'], department: '总经理办公室' },
  { id: 'UDEMODGM1', name: '副总经理 郑丽', roles: ['deputy_gm'], department: '总经理办公室' },
  { id: 'UDEMOHEAD1', name: '销售一部负责人 孙斌', roles: ['dept_head'], department: '销售一部' },
  { id: 'UDEMOHEAD2', name: '销售二部负责人 马骏', roles: ['dept_head'], department: '销售二部' },
  { id: 'UDEMOFIN1', name: '财务 何芳', roles: ['finance', 'dept_head'], department: '财务部' },
  { id: 'UDEMOIT1', name: '电脑部 高远', roles: ['it_security', 'dept_head'], department: '电脑部' },
];

const CITIES = [
  { city: '深圳', province: '广东省', postal: '518000', area: '0755', region: '华南' },
  { city: '广州', province: '广东省', postal: '510000', area: '020', region: '华南' },
  { city: '上海', province: '上海市', postal: '200000', area: '021', region: '华东' },
  { city: '杭州', province: '浙江省', postal: '310000', area: '0571', region: '华东' },
  { city: '南京', province: '江苏省', postal: '210000', area: '025', region: '华东' },
  { city: '北京', province: '北京市', postal: '100000', area: '010', region: '华北' },
  { city: '天津', province: '天津市', postal: '300000', area: '022', region: '华北' },
  { city: '成都', province: '四川省', postal: '610000', area: '028', region: '西南' },
  { city: '重庆', province: '重庆市', postal: '400000', area: '023', region: '西南' },
  { city: '武汉', province: '湖北省', postal: '430000', area: '027', region: '华中' },
];
const WORDS = COMPANY_WORDS;
const TRADES = [
  { suffix: '电子科技有限公司', industry: '电子' },
  { suffix: '贸易有限公司', industry: '商贸' },
  { suffix: '建材有限公司', industry: '建材' },
  { suffix: '食品有限公司', industry: '食品' },
  { suffix: '医药连锁有限公司', industry: '医药' },
  { suffix: '物流有限公司', industry: '物流' },
];
const SPECIALS = [
  { name: '律师事务所', category: 'lawyer' },
  { name: '财务顾问有限公司', category: 'financial_adviser' },
  { name: '广告有限公司', category: 'advertising' },
  { name: '公关顾问有限公司', category: 'public_relations' },
  { name: '银行', category: 'bank' },
  { name: '保险公司', category: 'insurance' },
  { name: '融资担保有限公司', category: 'financing_agency' },
] as const;
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴'];
const GIVEN = ['建国', '海燕', '志强', '秀英', '晓明', '丽华', '国栋', '春梅', '德华', '雪梅'];

export interface SeedResult {
  people: number;
  customers: number;
  skipped: boolean;
}

export async function seedDemo(db: Db, options: { now: Date; timeZone: string; count?: number }): Promise<SeedResult> {
  const { now, timeZone } = options;
  const count = options.count ?? 200;
  if (await db.person.findUnique({ where: { slackUserId: 'UDEMOADMIN1' } })) {
    return { people: 0, customers: 0, skipped: true };
  }
  for (const name of DEPARTMENTS) await db.department.upsert({ where: { name }, create: { name }, update: {} });
  for (const person of DEMO_PEOPLE) {
    await db.$transaction(async (tx) => {
      const department = await tx.department.findUniqueOrThrow({ where: { name: person.department } });
      await tx.person.create({
        data: { slackUserId: person.id, displayName: person.name, roles: person.roles, departmentId: department.id },
      });
      await appendAuditEvent(tx, {
        at: now,
        actor: SYSTEM_ACTOR.slackUserId,
        action: 'person.role_assigned',
        subjectType: 'person',
        subjectId: person.id,
        details: { roles: person.roles, department: person.department, source: 'seed demo' },
      });
    });
  }
  // ARCH-5: what each department hands the archive every month, and who collects it.
  const admin = { db, now, timeZone, actor: { slackUserId: 'UDEMOADMIN1' } };
  for (const [department, materials, responsible] of [
    ['销售一部', ARCH5_MATERIALS.sales, 'UDEMOSALES1'],
    ['销售二部', ARCH5_MATERIALS.sales, 'UDEMOSALES3'],
    ['财务部', ARCH5_MATERIALS.finance, 'UDEMOFIN1'],
    ['客户服务部', ARCH5_MATERIALS.service, 'UDEMOSERV1'],
  ] as const) {
    await setSubmissionRules(admin, { department, materials, responsibleSlackUserId: responsible });
  }
  const sales = DEMO_PEOPLE.filter((p) => p.roles.includes('sales'));
  let created = 0;
  for (let i = 0; i < count; i++) {
    const place = CITIES[i % CITIES.length] ?? CITIES[0];
    const word = WORDS[Math.floor(i / CITIES.length) % WORDS.length] ?? '华信';
    const owner = sales[i % sales.length] ?? sales[0];
    if (!place || !owner) break;
    const person = `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 3) % GIVEN.length]}`;
    const special = i % 13 === 5 ? SPECIALS[i % SPECIALS.length] : undefined;
    const trade = TRADES[i % TRADES.length] ?? TRADES[0];
    const isIndividual = !special && i % 11 === 3;
    const round = Math.floor(i / (CITIES.length * WORDS.length));
    const name = special
      ? `${place.city}${word}${special.name}${round ? round + 1 : ''}`
      : isIndividual
        ? `${person}（${place.city}${word}个体经销）${round ? round + 1 : ''}`
        : `${place.city}${word}${trade?.suffix ?? '有限公司'}${round ? round + 1 : ''}`;
    const level =
      i % 17 === 0 ? 'top_secret' : i % 5 === 0 ? 'confidential' : i % 4 === 0 ? 'unclassified' : 'restricted';
    const validation = validateCustomerInput(
      {
        name,
        kind: special ? 'special' : isIndividual ? 'individual' : 'dealer',
        specialCategory: special?.category ?? null,
        legalRepresentative: person,
        address: `${place.province}${place.city}市${word}路${(i % 300) + 1}号`,
        postalCode: place.postal,
        phone: `${place.area}-${String(80_000_000 + i * 7919).slice(0, 8)}`,
        registeredCapital: String(((i * 37) % 5000) + 50),
        businessScope: trade ? `${trade.industry}产品的批发与零售` : null,
        industry: special ? null : (trade?.industry ?? null),
        staffCount: String(((i * 13) % 800) + 5),
        mainDealings: `自${2015 + (i % 10)}年起采购本公司产品，年均订单${(i % 9) + 1}批次。`,
        creditStatus: ['良好', '一般', '优秀'][i % 3] ?? '良好',
        region: place.region,
        routeOrder: String((i % 20) + 1),
        ownerSlackUserId: owner.id,
        secrecyLevel: level,
        secrecyUntil: level === 'unclassified' ? null : `${2027 + (i % 4)}-12-31`,
      },
      { now, timeZone },
    );
    if (!validation.ok) throw new Error(`demo customer ${name} is invalid: ${JSON.stringify(validation.errors)}`);
    // SEC-6: the archivist registers 秘密 and 机密; 公开 and 绝密 (with its custodian, the
    // service manager) are registered by the supervisor.
    const decidedAbove = level === 'unclassified' || level === 'top_secret';
    await createCustomer(
      { db, now, timeZone, actor: { slackUserId: decidedAbove ? 'UDEMOSUPV1' : 'UDEMOARCH1' } },
      { ...validation.value, custodianSlackUserIds: level === 'top_secret' ? ['UDEMOSMGR1'] : [] },
    );
    created++;
  }
  return { people: DEMO_PEOPLE.length, customers: created, skipped: false };
}
