import { auditReportText } from '../../blocks/audit-report.js';
import { customerRegisterCsv } from '../../blocks/customer-register-csv.js';
import { escapeMrkdwn, t } from '../../blocks/i18n/index.js';
import { incidentFormView } from '../../blocks/incident.js';
import { assignCustodian } from '../../domain/access/assign-custodian.js';
import { queryViews } from '../../domain/audit/query-views.js';
import { parseCode } from '../../domain/codes.js';
import { exportCustomers } from '../../domain/customers/export-customers.js';
import { DomainError } from '../../domain/errors.js';
import { configValues, isConfigKey, setConfigValue } from '../../domain/settings/config-values.js';
import { isChannelPurpose, listChannels, setChannel } from '../../domain/settings/settings.js';
import { addDays, formatLocalDate, localDateOf, parseLocalDate, startOfLocalDay } from '../../domain/time.js';
import { messageApprovers, openRequesterThread } from '../approvals/notify.js';
import { sendFileToDm } from '../reply.js';
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

/**
 * `/kh custodian <code> @user [reason]` names (the GM) or proposes (supervisor and above) a
 * custodian; `/kh custodian <code> remove @user` removes one.
 */
export async function custodian({ session, args, reply, client, deps }: CommandContext): Promise<void> {
  const words = args.split(/\s+/).filter(Boolean);
  const code = words[0] ? parseCode('customer', words[0]) : undefined;
  const remove = words[1]?.toLowerCase() === 'remove';
  const mention = remove ? words[2] : words[1];
  const user = mention ? MENTION.exec(mention)?.[1] : undefined;
  if (!code || !user || (remove && words.length !== 3)) {
    await reply({ text: t(session.locale, 'usage.custodian') });
    return;
  }
  const reason = remove ? undefined : words.slice(2).join(' ');
  const result = await assignCustodian(session.ctx, { code, targetSlackUserId: user, remove, reason });
  if (result.kind === 'requested') {
    const { request, approvers } = result.created;
    await reply({
      text: t(session.locale, 'custodian.requested', { code: request.code, user, customer: request.customerCode }),
    });
    await openRequesterThread(deps, client, session.locale, request);
    const first = request.steps.find((s) => s.state === 'open');
    if (first) await messageApprovers(deps, client, request, first.id, approvers);
    return;
  }
  await reply({
    text: t(session.locale, 'custodian.result', {
      code: result.code,
      custodians: result.custodians.map((id) => `<@${id}>`).join(' ') || t(session.locale, 'generic.none'),
    }),
  });
}

/**
 * `/kh config` shows the channels and the settings; `/kh config channel <purpose> <#channel>|none`
 * sets a channel, `/kh config set <key> <number>` a setting.
 */
export async function config({ session, args, reply }: CommandContext): Promise<void> {
  const [what, first, second, extra] = args.split(/\s+/).filter(Boolean);
  if (what === 'set') {
    const value = second !== undefined && /^\d{1,9}$/.test(second) ? Number(second) : undefined;
    if (!first || !isConfigKey(first) || value === undefined || extra) {
      await reply({ text: t(session.locale, 'usage.config') });
      return;
    }
    await setConfigValue(session.ctx, first, value);
  } else if (what !== undefined) {
    const channelId = second?.toLowerCase() === 'none' ? null : second ? CHANNEL.exec(second)?.[1] : undefined;
    if (what !== 'channel' || !first || !isChannelPurpose(first) || channelId === undefined || extra) {
      await reply({ text: t(session.locale, 'usage.config') });
      return;
    }
    await setChannel(session.ctx, first, channelId);
  }
  const [channels, values] = [await listChannels(session.ctx.db), await configValues(session.ctx)];
  const show = (id: string | null) => (id ? `<#${id}>` : t(session.locale, 'config.unset'));
  const settings = Object.entries(values)
    .map(([key, value]) => `\`${key}\` ${value}`)
    .join('\n');
  await reply({
    text: [
      ...(what ? [t(session.locale, 'config.saved')] : []),
      t(session.locale, 'config.text', {
        gm_office: show(channels.gm_office),
        archive: show(channels.archive),
        alerts: show(channels.alerts),
        reports: show(channels.reports),
      }),
      t(session.locale, 'config.values', { values: settings }),
    ].join('\n'),
  });
}

export async function incident({ session, client, triggerId }: CommandContext): Promise<void> {
  await client.views.open({ trigger_id: triggerId, view: incidentFormView(session.locale) });
}

/** `/kh export [text]`: the register as CSV, sent to the person's DM with the app, never to a channel. */
export async function exportRegister({ session, args, reply, client, deps }: CommandContext): Promise<void> {
  const result = await exportCustomers(session.ctx, { query: args });
  const csv = customerRegisterCsv(session.locale, result.items);
  const stamp = formatLocalDate(localDateOf(session.ctx.now, deps.timeZone));
  await sendFileToDm(client, session.person.slackUserId, {
    bytes: Buffer.from(csv, 'utf8'),
    filename: `customers-${stamp}.csv`,
    title: `客户名册 ${stamp}`,
    comment: t(session.locale, 'export.comment', {
      query: result.query ? escapeMrkdwn(result.query) : t(session.locale, 'export.all'),
      user: session.person.slackUserId,
    }),
  });
  await reply({
    text: t(session.locale, 'export.done', {
      count: result.items.length,
      truncated: result.truncated ? t(session.locale, 'export.truncated', { max: result.maxRows }) : '',
    }),
  });
}
