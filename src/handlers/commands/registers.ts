import { t } from '../../blocks/i18n/index.js';
import { registerTitle, registerXlsx } from '../../blocks/registers-xlsx.js';
import { buildRegister, isRegisterKind, registerLines } from '../../domain/statistics/registers.js';
import { formatLocalDate, localDateOf } from '../../domain/time.js';
import { sendFileToDm } from '../reply.js';
import type { CommandContext } from './command-context.js';

/**
 * `/kh register [order|grade|address|region]` (DB-11): the register as .xlsx, sent to the
 * person's DM with the app, never to a channel; the reply says how many rows are masked.
 */
export async function register({ session, args, reply, client, deps }: CommandContext): Promise<void> {
  const words = args.toLowerCase().split(/\s+/).filter(Boolean);
  const kind = words[0] ?? 'order';
  if (words.length > 1 || !isRegisterKind(kind))
    return void (await reply({ text: t(session.locale, 'usage.register') }));
  const data = await buildRegister(session.ctx, kind);
  const file = await registerXlsx(session.locale, data);
  const title = registerTitle(session.locale, kind);
  const stamp = formatLocalDate(localDateOf(session.ctx.now, deps.timeZone));
  await sendFileToDm(client, session.person.slackUserId, {
    bytes: file,
    filename: `register-${kind}-${stamp}.xlsx`,
    title: `${title} ${stamp}`,
  });
  const params = { title, rows: registerLines(data), masked: data.masked };
  await reply({ text: t(session.locale, kind === 'region' ? 'register.sent_region' : 'register.sent', params) });
}
