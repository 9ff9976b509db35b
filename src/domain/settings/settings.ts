/**
 * Settings people change in Slack (`/kh config`), stored in the database so every replica
 * agrees. For now: the channels that receive alerts and reports.
 */

import { can } from '../access/capabilities.js';
import type { Db, Tx, UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { denied, runUseCase } from '../use-case.js';

/** Where each kind of post goes. */
export const CHANNEL_PURPOSES = {
  /** 总经理办公室: leak reports go here at once (SEC-13). */
  gm_office: 'channel.gm_office',
  /** The archive's own channel: declassification notices and, later, inspection reminders. */
  archive: 'channel.archive',
  /** Overdue loans (INFO-19) and, later, late submissions. */
  alerts: 'channel.alerts',
  /** The monthly statistics summary (STAT-7). */
  reports: 'channel.reports',
} as const;

export type ChannelPurpose = keyof typeof CHANNEL_PURPOSES;

export function isChannelPurpose(text: string): text is ChannelPurpose {
  return Object.hasOwn(CHANNEL_PURPOSES, text);
}

/** Slack channel ids: C… (public), G… (private), D… is not a channel to configure. */
export const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{2,30}$/;

export async function getChannel(db: Db | Tx, purpose: ChannelPurpose): Promise<string | null> {
  const row = await db.setting.findUnique({ where: { key: CHANNEL_PURPOSES[purpose] } });
  return row?.value ?? null;
}

export async function listChannels(db: Db | Tx): Promise<Record<ChannelPurpose, string | null>> {
  const rows = await db.setting.findMany({ where: { key: { in: Object.values(CHANNEL_PURPOSES) } } });
  const byKey = new Map(rows.map((r) => [r.key, r.value]));
  return {
    gm_office: byKey.get(CHANNEL_PURPOSES.gm_office) ?? null,
    archive: byKey.get(CHANNEL_PURPOSES.archive) ?? null,
    alerts: byKey.get(CHANNEL_PURPOSES.alerts) ?? null,
    reports: byKey.get(CHANNEL_PURPOSES.reports) ?? null,
  };
}

/** Admins set (or clear, with null) the channel of a purpose; audited. */
export async function setChannel(
  ctx: UseCaseContext,
  purpose: ChannelPurpose,
  channelId: string | null,
): Promise<void> {
  const { now, actor } = ctx;
  if (channelId !== null && !SLACK_CHANNEL_ID.test(channelId))
    throw new DomainError('setting_unknown', { key: channelId });
  await runUseCase(ctx, async ({ tx, me, audit, refuse }) => {
    if (!can(me.roles, 'assignRoles')) {
      return refuse(
        new DomainError('not_allowed', { action: 'config' }),
        denied('setting', CHANNEL_PURPOSES[purpose], 'setting.change'),
      );
    }
    const key = CHANNEL_PURPOSES[purpose];
    const before = await tx.setting.findUnique({ where: { key } });
    if (channelId === null) await tx.setting.deleteMany({ where: { key } });
    else
      await tx.setting.upsert({
        where: { key },
        create: { key, value: channelId, updatedAt: now, updatedBy: actor.slackUserId },
        update: { value: channelId, updatedAt: now, updatedBy: actor.slackUserId },
      });
    await audit({
      action: 'setting.changed',
      subjectType: 'setting',
      subjectId: key,
      details: { before: before?.value ?? null, after: channelId },
    });
  });
}
