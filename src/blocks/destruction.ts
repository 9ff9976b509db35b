/** Destruction (ARCH-29, INFO-25) in Slack and as the destruction register (.xlsx). */
import type { types } from '@slack/bolt';
import type { DestroyedBatch, destructionOverview, showDestruction } from '../domain/custody/destruction.js';
import { formatLocalDateTime } from '../domain/time.js';
import { escapeMrkdwn, t, type UiLocale } from './i18n/index.js';
import { ACTION } from './ids.js';
import { levelLabel, levelMarker } from './labels.js';
import { clip, formulaSafe, LIMITS, plain, section } from './text.js';

type Overview = Awaited<ReturnType<typeof destructionOverview>>;

/** Lines of expired volumes shown; the rest are counted. */
const EXPIRED_SHOWN = 30;

export function destructionOverviewText(locale: UiLocale, overview: Overview): string {
  const expired = overview.expired.slice(0, EXPIRED_SHOWN);
  return clip(
    [
      t(locale, 'destruction.expired_title', { count: overview.expired.length }),
      ...expired.map((v) =>
        t(locale, 'destruction.expired_line', {
          volume: v.code,
          customer: v.customerCode,
          level: levelMarker(locale, v.level),
          year: v.year,
          retention: t(locale, `retention.${v.retention as 'long_term'}`),
          department: v.department === null ? t(locale, 'report.line.none.department') : escapeMrkdwn(v.department),
        }),
      ),
      ...(overview.expired.length > expired.length
        ? [t(locale, 'destruction.more', { count: overview.expired.length - expired.length })]
        : []),
      t(locale, 'destruction.batches_title'),
      ...(overview.batches.length
        ? overview.batches.map((b) =>
            t(locale, 'destruction.batch_line', {
              code: b.code,
              department: escapeMrkdwn(b.department),
              volumes: b.volumes,
              state: t(locale, `destruction.state.${b.state}`),
              until: b.holdUntil ? t(locale, 'destruction.held_until', { until: b.holdUntil }) : '',
            }),
          )
        : [t(locale, 'inspection.none')]),
    ].join('\n'),
    LIMITS.sectionText * 4,
  );
}

/** The DM to the supervisor named for a destruction: what, where, and the confirm button. */
export function confirmDestructionBlocks(
  locale: UiLocale,
  scheduled: { code: string; place: string; volumes: number },
): types.KnownBlock[] {
  return [
    section(
      t(locale, 'destruction.confirm_ask', {
        code: scheduled.code,
        place: escapeMrkdwn(scheduled.place),
        volumes: scheduled.volumes,
      }),
    ),
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          style: 'danger',
          action_id: ACTION.confirmDestruction,
          text: plain(t(locale, 'destruction.confirm'), 75),
          value: scheduled.code,
        },
      ],
    },
  ];
}

/** The destruction register (销毁登记表): the batch, its chain, the place, the supervisor's confirmation and every volume. */
export async function destructionRegisterXlsx(
  locale: UiLocale,
  batch: DestroyedBatch,
  timeZone: string,
): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Custodian';
  const sheet = workbook.addWorksheet(t(locale, 'destruction.register_title'));
  sheet.columns = [
    { width: 18 },
    { width: 16 },
    { width: 10 },
    { width: 10 },
    { width: 10 },
    { width: 10 },
    { width: 10 },
  ];
  const when = (date: Date) => formatLocalDateTime(date, timeZone);
  sheet.addRow([t(locale, 'destruction.register_title'), batch.code]).font = { bold: true };
  sheet.addRow([t(locale, 'destruction.col.department'), formulaSafe(batch.department)]);
  sheet.addRow([t(locale, 'destruction.col.proposed'), `${batch.proposedBy} ${when(batch.proposedAt)}`]);
  for (const a of batch.approvals)
    sheet.addRow([t(locale, 'destruction.col.approved'), `${a.roles.join('/')} ${a.by} ${when(a.at)}`]);
  sheet.addRow([t(locale, 'destruction.col.held_until'), batch.holdUntil ?? '']);
  sheet.addRow([t(locale, 'destruction.col.place'), formulaSafe(batch.place)]);
  sheet.addRow([t(locale, 'destruction.col.supervisor'), `${batch.supervisor} ${when(batch.destroyedAt)}`]);
  sheet.addRow([]);
  sheet.addRow(
    (['volume', 'customer', 'year', 'retention', 'level', 'documents', 'pages'] as const).map((c) =>
      t(locale, `destruction.col.${c}`),
    ),
  ).font = { bold: true };
  for (const item of batch.items)
    sheet.addRow([
      item.volumeCode,
      item.customerCode,
      item.year,
      t(locale, `retention.${item.retention}`),
      levelLabel(locale, item.secrecyLevel),
      item.documents,
      item.pages,
    ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** `/kh destruction show`: the batch and every volume, by code and level (never a customer's name). */
export function destructionDetailText(locale: UiLocale, batch: Awaited<ReturnType<typeof showDestruction>>): string {
  return [
    t(locale, 'destruction.batch_line', {
      code: batch.code,
      department: escapeMrkdwn(batch.department),
      volumes: batch.items.length,
      state: t(locale, `destruction.state.${batch.state}`),
      until: batch.holdUntil ? t(locale, 'destruction.held_until', { until: batch.holdUntil }) : '',
    }),
    ...batch.items.map((v) =>
      t(locale, 'request.destruction_line', {
        volume: v.volumeCode,
        customer: v.customerCode,
        level: levelMarker(locale, v.level),
        year: v.year,
        retention: t(locale, `retention.${v.retention}`),
      }),
    ),
  ].join('\n');
}
