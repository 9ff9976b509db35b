/**
 * The search text of a customer (see search-text.ts): what `/kh find` matches besides the
 * name — its code, phone digits, full pinyin and initials. The name is matched apart, through
 * its key and its pieces (search-grams.ts), so that a Latin word in many names (`abc`) does
 * not fill the trigram index's answer with rows the name ranks already took. Kept apart so
 * that pinyin-pro loads only when a customer is written.
 */
import { pinyin } from 'pinyin-pro';
import { nameKey } from './search-text.js';

export function buildSearchText(customer: { name: string; code: string; phone: string }): string {
  const key = nameKey(customer.name);
  const syllables = pinyin(key, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true });
  const initials = pinyin(key, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' });
  return [customer.code.toLowerCase(), customer.phone.replace(/\D/g, ''), syllables.join(''), initials.join('')]
    .join('|')
    .toLowerCase();
}
