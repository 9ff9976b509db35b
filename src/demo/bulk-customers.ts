/**
 * `npm run cli -- seed demo --customers N`: N generated customers added in bulk, so that
 * anyone can reproduce the search benchmark at 100,000 or 1,000,000 customers (bench/find.ts
 * loads through this same path). Names come from real Chinese word stock — a city, two
 * 字号 words and a trade — with Latin brand letters and full-width forms mixed in; every
 * name is different (a bijection from the customer's number onto the combinations), owned
 * by the demo salespeople, at every secrecy level.
 *
 * Each batch is one transaction: the customers, their search rows and name pieces, and one
 * audit event naming the batch's codes. The use cases are not called one
 * by one: a bulk load is not a workload, and 1,000,000 audited use cases would take hours.
 */
import { appendAuditEvent } from '../domain/audit/append-audit-event.js';
import { formatCode } from '../domain/codes.js';
import { type Db, SYSTEM_ACTOR } from '../domain/context.js';
import { buildSearchText } from '../domain/customers/search-index.js';
import { nameKey, writeSearchGrams } from '../domain/customers/search-text.js';
import { localDateOf } from '../domain/time.js';

const CITIES = [
  ['北京', '北京市', '100000', '010'],
  ['上海', '上海市', '200000', '021'],
  ['天津', '天津市', '300000', '022'],
  ['重庆', '重庆市', '400000', '023'],
  ['广州', '广东省', '510000', '020'],
  ['深圳', '广东省', '518000', '0755'],
  ['东莞', '广东省', '523000', '0769'],
  ['佛山', '广东省', '528000', '0757'],
  ['杭州', '浙江省', '310000', '0571'],
  ['宁波', '浙江省', '315000', '0574'],
  ['温州', '浙江省', '325000', '0577'],
  ['南京', '江苏省', '210000', '025'],
  ['苏州', '江苏省', '215000', '0512'],
  ['无锡', '江苏省', '214000', '0510'],
  ['常州', '江苏省', '213000', '0519'],
  ['合肥', '安徽省', '230000', '0551'],
  ['福州', '福建省', '350000', '0591'],
  ['厦门', '福建省', '361000', '0592'],
  ['南昌', '江西省', '330000', '0791'],
  ['济南', '山东省', '250000', '0531'],
  ['青岛', '山东省', '266000', '0532'],
  ['郑州', '河南省', '450000', '0371'],
  ['武汉', '湖北省', '430000', '027'],
  ['长沙', '湖南省', '410000', '0731'],
  ['成都', '四川省', '610000', '028'],
  ['贵阳', '贵州省', '550000', '0851'],
  ['昆明', '云南省', '650000', '0871'],
  ['西安', '陕西省', '710000', '029'],
  ['兰州', '甘肃省', '730000', '0931'],
  ['沈阳', '辽宁省', '110000', '024'],
  ['大连', '辽宁省', '116000', '0411'],
  ['长春', '吉林省', '130000', '0431'],
  ['哈尔滨', '黑龙江省', '150000', '0451'],
  ['石家庄', '河北省', '050000', '0311'],
  ['太原', '山西省', '030000', '0351'],
  ['南宁', '广西壮族自治区', '530000', '0771'],
  ['海口', '海南省', '570000', '0898'],
  ['呼和浩特', '内蒙古自治区', '010000', '0471'],
  ['乌鲁木齐', '新疆维吾尔自治区', '830000', '0991'],
  ['拉萨', '西藏自治区', '850000', '0891'],
] as const;

/** 字号: the trade names Chinese companies are called by. */
const WORDS = [
  ...'华信 宏达 恒通 瑞丰 金桥 远航 新锐 鼎盛 嘉禾 众诚 天成 博远 凯旋 永安 中联 汇通 德隆 盛世 万和 启明 泰和 安达 昌盛 兴业'.split(
    ' ',
  ),
  ...'富源 东方 长城 海天 正大 同创 志高 明德 宏图 九州 银河 星辰 腾飞 锦程 瑞祥 福盛 佳和 润泽 祥云 晨光'.split(' '),
  ...'合力 大成 方圆 信达 百川 千禧 和美 光华 立信 思源 振华 国泰 民生 康达 利民 安泰 长江 黄河 泰山 华夏'.split(' '),
  ...'新华 建业 荣盛 永兴 宝丰 德胜 聚源 广源 天瑞 金鼎 鸿运 龙腾 凤凰 丰收 春晖 秋实 海纳 山川 中天 天地'.split(' '),
  ...'伟业 精诚 恒信 卓越 创新 先锋 前进 诚信 友谊 团结 协力 共赢 同心 远大 宏远 鑫源 鑫盛 鑫达 金源 金盛'.split(' '),
  ...'银泰 恒大 碧水 青山 绿源 蓝天 白云 红星 紫金 翠湖 西溪 钱塘 西湖 滨江 临江 望江 江南 江北 湖畔 海岸'.split(' '),
];

const TRADES = [
  '电子科技有限公司',
  '贸易有限公司',
  '建材有限公司',
  '食品有限公司',
  '医药连锁有限公司',
  '物流有限公司',
  '机械制造有限公司',
  '化工有限公司',
  '服饰有限公司',
  '家具有限公司',
  '五金交电有限公司',
  '文化传媒有限公司',
  '信息技术有限公司',
  '汽车销售服务有限公司',
  '农业发展有限公司',
  '包装材料有限公司',
  '实业有限公司',
  '商贸有限责任公司',
  '电器销售有限公司',
  '印务有限公司',
];

/** Latin brand letters some names carry, half- or full-width (the search folds widths). */
const BRANDS = ['TCL', 'ABC', 'ＫＩＮＧ', 'Sun', 'IT', 'ＯＫ'];
const SURNAMES = '王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗';
const GIVEN = ['建国', '海燕', '志强', '秀英', '晓明', '丽华', '国栋', '春梅', '德华', '雪梅', '伟', '芳', '敏', '静'];

const W = WORDS.length;
const COMBINATIONS = CITIES.length * W * (W - 1) * TRADES.length;
/** A multiplier coprime to COMBINATIONS: consecutive numbers land far apart, all distinct. */
const STRIDE = 7_919_993;

function pick<T>(list: readonly T[], index: number): T {
  return list[index % list.length] as T;
}

/**
 * The secrecy level of the n-th customer: about 6 % 绝密, 19 % 机密, 19 % 公开, the rest 秘密.
 * Drawn from a hash of n, not from n's residues: the city is one of n's residues (n·STRIDE
 * mod 40), and levels taken from n mod 4 and n mod 5 made every customer of some cities 机密
 * or 绝密, a ledger no company has (bench/README.md, search).
 */
function levelOf(n: number): 'top_secret' | 'confidential' | 'unclassified' | 'restricted' {
  let h = Math.imul(n, 0x9e3779b1) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  const u = ((h ^ (h >>> 13)) >>> 0) % 1000;
  return u < 59 ? 'top_secret' : u < 247 ? 'confidential' : u < 435 ? 'unclassified' : 'restricted';
}

/** The n-th generated customer (n ≥ 1): a different name for every n below COMBINATIONS. */
export function generatedCustomer(n: number) {
  const p = (n * STRIDE) % COMBINATIONS;
  const city = pick(CITIES, p);
  const rest = Math.floor(p / CITIES.length);
  const first = rest % W;
  const second = (first + 1 + (Math.floor(rest / W) % (W - 1))) % W;
  const trade = pick(TRADES, Math.floor(rest / (W * (W - 1))));
  const brand = n % 23 === 0 ? pick(BRANDS, n) : '';
  const [cityName, province, postalCode, area] = city;
  const name = `${cityName}${brand}${WORDS[first]}${WORDS[second]}${trade}`;
  const person = `${pick([...SURNAMES], n * 7)}${pick(GIVEN, n * 3)}`;
  const level = levelOf(n);
  return {
    name,
    kind: 'dealer' as const,
    legalRepresentative: person,
    address: `${province}${cityName}市${WORDS[second]}路${(n % 900) + 1}号`,
    postalCode,
    phone:
      n % 3 === 0
        ? `1${3 + (n % 7)}${String(100_000_000 + ((n * 7_919) % 900_000_000)).slice(0, 9)}`
        : `${area}-${String(20_000_000 + ((n * 104_729) % 70_000_000))}`,
    secrecyLevel: level,
    industry: trade.replace(/有限.*$/, ''),
  } as const;
}

export interface BulkResult {
  added: number;
  first?: string;
  last?: string;
}

/**
 * Adds `count` generated customers, 2,000 to a transaction, owned in turn by the people who
 * hold the sales role. Numbers continue the year's customer code counter, so a second run
 * adds different customers.
 */
export async function bulkAddCustomers(
  db: Db,
  options: { count: number; now: Date; timeZone: string; onBatch?: (added: number) => void },
): Promise<BulkResult> {
  const owners = await db.person.findMany({
    where: { roles: { has: 'sales' } },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  if (owners.length === 0) throw new Error('no salesperson to own the customers: run `seed demo` first');
  const { year } = localDateOf(options.now, options.timeZone);
  const until = new Date(Date.UTC(year + 3, 11, 31, 16));
  const result: BulkResult = { added: 0 };
  for (let done = 0; done < options.count; ) {
    const size = Math.min(2_000, options.count - done);
    await db.$transaction(
      async (tx) => {
        const scope = `customer:${year}`;
        const [counter] = await tx.$queryRaw<{ last: number }[]>`
          INSERT INTO "CodeCounter" (scope, last) VALUES (${scope}, ${size})
          ON CONFLICT (scope) DO UPDATE SET last = "CodeCounter".last + ${size}
          RETURNING last`;
        const firstNumber = (counter?.last ?? size) - size + 1;
        const rows = Array.from({ length: size }, (_, k) => {
          const n = firstNumber + k;
          const generated = generatedCustomer(n);
          return {
            ...generated,
            code: formatCode('customer', year, n),
            nameKey: nameKey(generated.name),
            secrecyUntil: generated.secrecyLevel === 'unclassified' ? null : until,
            ownerId: pick(owners, n).id,
          };
        });
        const column = <K extends keyof (typeof rows)[number]>(key: K) => rows.map((row) => row[key]);
        // One statement per batch, arrays in, rows out (Prisma's createMany costs ~10× the CPU here).
        const created = await tx.$queryRaw<{ id: number; code: string; nameKey: string }[]>`
          INSERT INTO "Customer" (code, name, "nameKey", kind, "legalRepresentative", address, "postalCode", phone,
            industry, "secrecyLevel", "secrecyUntil", "ownerId", "createdById", "createdAt", "updatedAt")
          SELECT code, name, "nameKey", 'dealer', rep, address, postal, phone, industry, level::"SecrecyLevel",
            until, owner, owner, ${options.now}, ${options.now}
          FROM unnest(${column('code')}::text[], ${column('name')}::text[], ${column('nameKey')}::text[],
            ${column('legalRepresentative')}::text[], ${column('address')}::text[], ${column('postalCode')}::text[],
            ${column('phone')}::text[], ${column('industry')}::text[], ${column('secrecyLevel')}::text[],
            ${column('secrecyUntil')}::timestamptz[], ${column('ownerId')}::int[])
            AS t(code, name, "nameKey", rep, address, postal, phone, industry, level, until, owner)
          ON CONFLICT DO NOTHING
          RETURNING id, code, "nameKey"`;
        created.sort((a, b) => a.id - b.id);
        const byCode = new Map(rows.map((row) => [row.code, row]));
        const search = created.map((c) => {
          const row = byCode.get(c.code);
          if (!row) throw new Error(`inserted ${c.code} was not generated`);
          return { ...c, row, text: buildSearchText(row) };
        });
        await tx.$executeRaw`
          INSERT INTO "CustomerSearch" ("customerId", code, "nameKey", "searchText", "secrecyLevel", "secrecyUntil", "ownerId")
          SELECT id, code, key, text, level::"SecrecyLevel", until, owner
          FROM unnest(${search.map((c) => c.id)}::int[], ${search.map((c) => c.code)}::text[],
            ${search.map((c) => c.nameKey)}::text[], ${search.map((c) => c.text)}::text[],
            ${search.map((c) => c.row.secrecyLevel)}::text[], ${search.map((c) => c.row.secrecyUntil)}::timestamptz[],
            ${search.map((c) => c.row.ownerId)}::int[]) AS t(id, code, key, text, level, until, owner)`;
        await writeSearchGrams(
          tx,
          created.map((c) => ({ customerId: c.id, nameKey: c.nameKey })),
          false,
        );
        await appendAuditEvent(tx, {
          at: options.now,
          actor: SYSTEM_ACTOR.slackUserId,
          action: 'customer.bulk_loaded',
          subjectType: 'customer',
          subjectId: created[0]?.code ?? null,
          details: {
            count: created.length,
            first: created[0]?.code ?? null,
            last: created.at(-1)?.code ?? null,
            source: 'seed demo',
          },
        });
        result.added += created.length;
        result.first ??= created[0]?.code;
        result.last = created.at(-1)?.code ?? result.last;
      },
      { timeout: 120_000 },
    );
    done += size;
    options.onBatch?.(result.added);
  }
  return result;
}
