import { auditReportText } from '../../blocks/audit-report.js';
import { customerRegisterCsv } from '../../blocks/customer-register-csv.js';
import { t } from '../../blocks/i18n/index.js';
import { incidentFormView } from '../../blocks/incident.js';
import { assignCustodian } from '../../domain/access/assign-custodian.js';
import { queryViews } from '../../domain/audit/query-views.js';
import { parseCode } from '../../domain/codes.js';
import { EXPORT_MAX_ROWS, exportCustomers } from '../../domain/customers/export-customers.js';
import { DomainError } from '../../domain/errors.js';
import { isChannelPurpose, listChannels, setChannel } from '../../domain/settings/settings.js';
import { addDays, formatLocalDate, localDateOf, parseLocalDate, startOfLocalDay } from '../../domain/time.js';
import type { CommandContext } from './command-context.js';
import { MENTION } from './mentions.js';

/** Slack escapes a channel in command text as <#C123|name>. */
const CHANNEL = /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/;

const DEFAULT_AUDIT_DAYS = 30;

/** `/kh audit <code>|@user [from] [to]`: dates are company-local days, `to` inclusive. */
export async function audit({ session, args, reply, deps }: CommandContext): Promise<void> {
  const [target, fromText, toText, extra] = args.split(/\s+/).filter(Boolean);
  const user = target ? MENTION.exec(target)?.[1] : undefined;
  const code = target && !user ? parseCode('customer', target) : undefined;
  const today = localDateOf(session.ctx.now, deps.timeZone);
  const fromDate = fromText ? parseLocalDate(fromText) : addDays(today, -DEFAULT_AUDIT_DAYS + 1);
  const toDate = toText ? parseLocalDate(toText) : today;
  if ((!user && !code) || extra !== undefined) {
    await reply({ text: t(session.locale, 'usage.audit') });
    return;
  }
  if (!fromDate || !toDate) throw new DomainError('invalid_period');
  const from = startOfLocalDay(fromDate, deps.timeZone);
  const to = startOfLocalDay(addDays(toDate, 1), deps.timeZone);
  const report = await queryViews(
    session.ctx,
    user ? { by: 'person', slackUserId: user, from, to } : { by: 'customer', code: code ?? '', from, to },
  );
  await reply({
    text: auditReportText(session.locale, report, {
      subject: user ? `<@${user}>` : (code ?? ''),
      from: formatLocalDate(fromDate),
      to: formatLocalDate(toDate),
      timeZone: deps.timeZone,
    }),
  });
}

/** `/kh custodian <code> [remove] @user`. */
export async function custodian({ session, args, reply }: CommandContext): Promise<void> {
  const words = args.split(/\s+/).filter(Boolean);
  const code = words[0] ? parseCode('customer', words[0]) : undefined;
  const remove = words[1]?.toLowerCase() === 'remove';
  const mention = remove ? words[2] : words[1];
  const user = mention ? MENTION.exec(mention)?.[1] : undefined;
  if (!code || !user || words.length !== (remove ? 3 : 2)) {
    await reply({ text: t(session.locale, 'usage.custodian') });
    return;
  }
  const result = await assignCustodian(session.ctx, { code, targetSlackUserId: user, remove });
  await reply({
    text: t(session.locale, 'custodian.result', {
      code: result.code,
      custodians: result.custodians.map((id) => `<@${id}>`).join(' ') || t(session.locale, 'generic.none'),
    }),
  });
}

/** `/kh config` shows the channels; `/kh config channel <purpose> <#channel>|none` sets one. */
export async function config({ session, args, reply }: CommandContext): Promise<void> {
  const [what, purpose, channel, extra] = args.split(/\s+/).filter(Boolean);
  if (what !== undefined) {
    const channelId = channel?.toLowerCase() === 'none' ? null : channel ? CHANNEL.exec(channel)?.[1] : undefined;
    if (what !== 'channel' || !purpose || !isChannelPurpose(purpose) || channelId === undefined || extra) {
      await reply({ text: t(session.locale, 'usage.config') });
      return;
    }
    await setChannel(session.ctx, purpose, channelId);
  }
  const channels = await listChannels(session.ctx.db);
  const show = (id: string | null) => (id ? `<#${id}>` : t(session.locale, 'config.unset'));
  await reply({
    text: `${what ? `${t(session.locale, 'config.saved')}\n` : ''}${t(session.locale, 'config.text', {
      gm_office: show(channels.gm_office),
      archive: show(channels.archive),
    })}`,
  });
}

export async function incident({ session, client, triggerId }: CommandContext): Promise<void> {
  await client.views.open({ trigger_id: triggerId, view: incidentFormView(session.locale) });
}

/** `/kh export [text]`: the register as CSV, sent to the person's DM with the app, never to a channel. */
export async function exportRegister({ session, args, reply, client, deps }: CommandContext): Promise<void> {
  const result = await exportCustomers(session.ctx, { query: args });
  const csv = customerRegisterCsv(session.locale, result.items);
  const dm = await client.conversations.open({ users: session.person.slackUserId });
  const channelId = dm.channel?.id;
  if (!channelId) throw new Error('conversations.open returned no channel');
  const stamp = formatLocalDate(localDateOf(session.ctx.now, deps.timeZone));
  await client.files.uploadV2({
    channel_id: channelId,
    file: Buffer.from(csv, 'utf8'),
    filename: `customers-${stamp}.csv`,
    title: `客户名册 ${stamp}`,
    initial_comment: t(session.locale, 'export.comment', { query: result.query || t(session.locale, 'export.all') }),
  });
  await reply({
    text: t(session.locale, 'export.done', {
      count: result.items.length,
      truncated: result.truncated ? t(session.locale, 'export.truncated', { max: EXPORT_MAX_ROWS }) : '',
    }),
  });
}
