/** The page of `/kh find` results, with a button per visible customer and a next-page button. */
import type { types } from '@slack/bolt';
import type { FindResult } from '../domain/customers/find-customers.js';
import { escapeMrkdwn, t, type UiLocale } from './i18n/index.js';
import { ACTION } from './ids.js';
import { kindLabel, levelLabel, levelMarker } from './labels.js';
import { LIMITS, plain, section } from './text.js';

export interface FindPageValue {
  q: string;
  page: number;
}

export function findResultsText(locale: UiLocale, result: FindResult): string {
  const query = escapeMrkdwn(result.query);
  return result.items.length === 0
    ? t(locale, 'find.none', { query })
    : t(locale, 'find.header', { query, page: result.page });
}

export function findResultsBlocks(locale: UiLocale, result: FindResult): types.KnownBlock[] {
  const query = escapeMrkdwn(result.query);
  if (result.items.length === 0) return [section(t(locale, 'find.none', { query }))];
  const blocks: types.KnownBlock[] = [section(t(locale, 'find.header', { query, page: result.page }))];
  for (const item of result.items) {
    if (item.visibility === 'masked') {
      blocks.push(
        section(
          t(locale, 'find.masked_line', {
            code: item.code,
            masked: t(locale, 'level.masked', { level: levelLabel(locale, item.level) }),
          }),
        ),
      );
      continue;
    }
    blocks.push({
      ...section(
        t(locale, 'find.line', {
          code: item.code,
          marker: levelMarker(locale, item.level),
          name: escapeMrkdwn(item.name),
          kind: kindLabel(locale, item.kind),
          region: `${item.region ? ` · ${escapeMrkdwn(item.region)}` : ''}${
            item.grade ? ` · ${t(locale, 'grade.label', { grade: item.grade })}` : ''
          }`,
          phone: escapeMrkdwn(item.phone),
          owner: item.ownerSlackUserId,
        }),
      ),
      accessory: {
        type: 'button',
        action_id: ACTION.showCustomer,
        text: plain(t(locale, 'find.show'), LIMITS.buttonText),
        value: item.code,
      },
    });
  }
  if (result.hasMore) {
    const value: FindPageValue = { q: result.query, page: result.page + 1 };
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION.findNextPage,
          text: plain(t(locale, 'find.more'), LIMITS.buttonText),
          value: JSON.stringify(value),
        },
      ],
    });
  }
  return blocks;
}
