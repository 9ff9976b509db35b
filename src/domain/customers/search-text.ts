/**
 * What `/kh find` matches: the name (its key), and the search text — code, phone digits,
 * full pinyin and pinyin initials, lowercased and joined by '|' (a character a query never
 * contains, so no match spans two of them). `hw` finds 华为 through the initials, `huawei`
 * through the full pinyin. The text is built in
 * search-index.ts, loaded when a customer is first written: pinyin-pro's dictionary costs
 * 40–55 ms to load, which the bot's start does not need to pay.
 */
import type { SecrecyLevel } from '../access/visibility.js';
import type { Tx } from '../context.js';
import { nameGrams } from './search-grams.js';

/** Lowercase, no white space: two spellings of one name collide on this key. */
export function nameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/** The query as it is matched: NFKC, lowercase, no white space or separators. */
export function normalizeQuery(query: string): string {
  return query
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s|]+/g, '');
}

/** The fields of a customer that its search row is built from. */
export interface SearchSource {
  id: number;
  code: string;
  name: string;
  phone: string;
  secrecyLevel: SecrecyLevel;
  secrecyUntil: Date | null;
  ownerId: number;
}

/**
 * Writes the customer's search row (CustomerSearch) and its name pieces (CustomerSearchGram).
 * Every use case that changes a name, phone, level or period calls it in the same
 * transaction, so the indexes never disagree with the customer.
 */
export async function syncCustomerSearch(tx: Tx, source: SearchSource): Promise<void> {
  const row = {
    code: source.code,
    nameKey: nameKey(source.name),
    searchText: (await import('./search-index.js')).buildSearchText(source),
    secrecyLevel: source.secrecyLevel,
    secrecyUntil: source.secrecyUntil,
    ownerId: source.ownerId,
  };
  await tx.customerSearch.upsert({
    where: { customerId: source.id },
    create: { customerId: source.id, ...row },
    update: row,
  });
  await writeSearchGrams(tx, [{ customerId: source.id, nameKey: row.nameKey }], true);
}

/**
 * Writes the name pieces of these customers into CustomerSearchGram (search-grams.ts), after
 * removing what was there when `replace` (an edit may have changed the name).
 */
export async function writeSearchGrams(
  tx: Tx,
  customers: { customerId: number; nameKey: string }[],
  replace: boolean,
): Promise<void> {
  const ids = customers.map((c) => c.customerId);
  if (replace) await tx.$executeRaw`DELETE FROM "CustomerSearchGram" WHERE "customerId" = ANY(${ids}::int[])`;
  const grams: string[] = [];
  const owners: number[] = [];
  for (const customer of customers) {
    for (const gram of nameGrams(customer.nameKey)) {
      grams.push(gram);
      owners.push(customer.customerId);
    }
  }
  if (grams.length === 0) return;
  await tx.$executeRaw`INSERT INTO "CustomerSearchGram" (gram, "customerId")
    SELECT * FROM unnest(${grams}::varchar[], ${owners}::int[])`;
}
