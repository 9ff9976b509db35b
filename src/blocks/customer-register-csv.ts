/** The customer register (客户名册, DB-11) as CSV for Excel: UTF-8 with a BOM, CRLF lines. */
import type { FoundCustomer } from '../domain/customers/find-customers.js';
import { t, type UiLocale } from './i18n/index.js';
import { kindLabel, levelLabel } from './labels.js';
import { formulaSafe } from './text.js';

/** Quotes a cell; a leading = + - @ (or tab, CR) is neutralised so a spreadsheet never runs it as a formula. */
function cell(value: string): string {
  const safe = formulaSafe(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function customerRegisterCsv(locale: UiLocale, items: readonly FoundCustomer[]): string {
  const lines = [t(locale, 'export.header')];
  for (const item of items) {
    const row =
      item.visibility === 'masked'
        ? [
            item.code,
            t(locale, item.needs === 'copy' ? 'level.masked_copy' : 'level.masked', {
              level: levelLabel(locale, item.level),
            }),
            '',
            levelLabel(locale, item.level),
            '',
            '',
            '',
          ]
        : [
            item.code,
            item.name,
            kindLabel(locale, item.kind),
            levelLabel(locale, item.level),
            item.region ?? '',
            item.phone,
            item.ownerSlackUserId,
          ];
    lines.push(row.map(cell).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
