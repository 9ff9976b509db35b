/**
 * The search text of a customer (see search-text.ts): its name, code, phone digits, full
 * pinyin and initials. Kept apart so that pinyin-pro loads only when a customer is written.
 */
import { pinyin } from 'pinyin-pro';
import { nameKey } from './search-text.js';

export function buildSearchText(customer: { name: string; code: string; phone: string }): string {
  const key = nameKey(customer.name);
  const syllables = pinyin(key, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true });
  const initials = pinyin(key, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' });
  return [key, customer.code.toLowerCase(), customer.phone.replace(/\D/g, ''), syllables.join(''), initials.join('')]
    .join('|')
    .toLowerCase();
}
