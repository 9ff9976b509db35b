/** The customer card (`/kh show`): every filled field by group, markers, history, edit button. */
import type { types } from '@slack/bolt';
import type { SecrecyLevel } from '../domain/access/visibility.js';
import { CUSTOMER_FIELDS, type FieldGroup, type FieldSpec } from '../domain/customers/customer-fields.js';
import type { CustomerRecord } from '../domain/customers/customer-record.js';
import type { ShownCustomer } from '../domain/customers/show-customer.js';
import { formatLocalDate, formatLocalDateTime, lastDayBefore, localDateFromDbDate } from '../domain/time.js';
import { escapeMrkdwn, t, type UiLocale } from './i18n/index.js';
import { ACTION } from './ids.js';
import { kindLabel, levelLabel, levelMarker, specialLabel } from './labels.js';
import { clip, LIMITS, mrkdwn, plain, section } from './text.js';

/** Fields shown in the title and context line rather than in the groups. */
const SHOWN_ELSEWHERE = new Set(['name', 'secrecyLevel', 'secrecyUntil', 'ownerSlackUserId']);

function fieldText(locale: UiLocale, field: FieldSpec, customer: CustomerRecord): string | undefined {
  const value = customer[field.name as keyof CustomerRecord];
  if (value === null || value === undefined || value === '') return undefined;
  switch (field.type) {
    case 'kind':
      return kindLabel(locale, customer.kind);
    case 'specialCategory':
      return customer.specialCategory ? specialLabel(locale, customer.specialCategory) : undefined;
    case 'date':
      return value instanceof Date ? formatLocalDate(localDateFromDbDate(value)) : undefined;
    default:
      return escapeMrkdwn(String(value));
  }
}

/** The notification text of a card (what a phone shows): the code and the name, escaped. */
export function customerCardText(shown: ShownCustomer): string {
  return `${shown.customer.code} ${escapeMrkdwn(shown.customer.name)}`;
}

/** The confirmation of a registration. */
export function customerCreatedText(
  locale: UiLocale,
  created: { code: string; name: string; secrecyLevel: SecrecyLevel },
): string {
  return t(locale, 'customer.created', {
    code: created.code,
    name: escapeMrkdwn(created.name),
    level: levelLabel(locale, created.secrecyLevel),
  });
}

export function customerCardBlocks(locale: UiLocale, shown: ShownCustomer, timeZone: string): types.KnownBlock[] {
  const { customer } = shown;
  const level = customer.effectiveLevel;
  const blocks: types.KnownBlock[] = [
    {
      type: 'header',
      text: plain(t(locale, 'card.title', { marker: levelMarker(locale, level), name: customer.name }), LIMITS.header),
    },
    {
      type: 'context',
      elements: [
        mrkdwn(
          [
            `${t(locale, 'card.code')}: *${customer.code}*`,
            `${levelLabel(locale, level)}${
              customer.secrecyUntil && level !== 'unclassified'
                ? ` · ${t(locale, 'card.secrecy_until')} ${formatLocalDate(lastDayBefore(customer.secrecyUntil, timeZone))}`
                : ''
            }`,
            `${t(locale, 'card.owner')}: <@${customer.ownerSlackUserId}>`,
            ...(customer.grade ? [t(locale, 'grade.label', { grade: customer.grade })] : []),
            `${t(locale, 'card.version')}: ${customer.version}`,
            `${t(locale, 'card.created')}: ${formatLocalDateTime(customer.createdAt, timeZone)}`,
          ].join(' · '),
        ),
      ],
    },
  ];
  if (level !== 'unclassified')
    blocks.push({ type: 'context', elements: [mrkdwn(t(locale, 'card.three_prohibitions'))] });

  const groups = new Map<FieldGroup, types.MrkdwnElement[]>();
  for (const field of CUSTOMER_FIELDS) {
    if (SHOWN_ELSEWHERE.has(field.name)) continue;
    const text = fieldText(locale, field, customer);
    if (text === undefined) continue;
    const list = groups.get(field.group) ?? [];
    list.push(
      mrkdwn(`*${t(locale, `field.${field.name}`)}*\n${clip(text, LIMITS.sectionField - 100)}`, LIMITS.sectionField),
    );
    groups.set(field.group, list);
  }
  for (const [group, fields] of groups) {
    blocks.push({ type: 'divider' }, section(`*${t(locale, `group.${group}`)}*`));
    // A section holds at most 10 fields.
    for (let i = 0; i < fields.length; i += 10) blocks.push({ type: 'section', fields: fields.slice(i, i + 10) });
  }
  if (shown.history.length > 0) {
    blocks.push(
      { type: 'divider' },
      section(
        [
          t(locale, 'card.history'),
          ...shown.history.map((change) =>
            t(locale, 'card.history_line', {
              at: formatLocalDateTime(change.changedAt, timeZone),
              user: change.changedBySlackUserId,
              field: t(locale, `field.${change.field}`),
            }),
          ),
        ].join('\n'),
      ),
    );
  }
  if (shown.matters.length > 0) {
    blocks.push(
      { type: 'divider' },
      section(
        clip(
          [
            t(locale, 'card.matters'),
            ...shown.matters.map((m) =>
              t(locale, 'card.matter_line', {
                on: m.occurredOn,
                department: m.department ? escapeMrkdwn(m.department) : t(locale, 'report.line.none.department'),
                user: m.reportedBy,
                text: escapeMrkdwn(clip(m.text, 400)),
              }),
            ),
          ].join('\n'),
          LIMITS.sectionText,
        ),
      ),
    );
  }
  if (shown.canEdit) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION.editCustomer,
          text: plain(t(locale, 'card.edit'), LIMITS.buttonText),
          value: customer.code,
        },
      ],
    });
  }
  return blocks;
}
