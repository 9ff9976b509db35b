import { t } from '../../blocks/i18n/index.js';
import { gradingText, routeText, salesImportFormView } from '../../blocks/statistics.js';
import { parseCode } from '../../domain/codes.js';
import { moveInRoute, showRoute } from '../../domain/customers/route.js';
import { gradeNow } from '../../domain/statistics/grade-customers.js';
import { salesTemplateCsv } from '../../domain/statistics/sales-sheet.js';
import { sendFileToDm } from '../reply.js';
import type { CommandContext } from './command-context.js';

/**
 * `/kh import sales` (or `targets`) opens the upload form; `/kh import sales template` sends the
 * template by DM.
 */
export async function importFigures({ session, args, reply, client, triggerId }: CommandContext): Promise<void> {
  const words = args.toLowerCase().split(/\s+/).filter(Boolean);
  if (words[0] === 'targets' && words.length === 1) {
    return void (await client.views.open({
      trigger_id: triggerId,
      view: salesImportFormView(session.locale, 'targets'),
    }));
  }
  if (words[0] !== 'sales' || words.length > 2 || (words[1] && words[1] !== 'template'))
    return void (await reply({ text: t(session.locale, 'usage.import') }));
  if (words[1] === 'template') {
    await sendFileToDm(client, session.person.slackUserId, {
      bytes: Buffer.from(salesTemplateCsv(), 'utf8'),
      filename: 'sales-template.csv',
      title: t(session.locale, 'sales.template_title'),
    });
    return void (await reply({ text: t(session.locale, 'sales.template_sent') }));
  }
  await client.views.open({ trigger_id: triggerId, view: salesImportFormView(session.locale) });
}

/** `/kh grade`: grades every customer now (the monthly job's work, on demand). */
export async function grade({ session, reply }: CommandContext): Promise<void> {
  const run = await gradeNow(session.ctx);
  await reply({ text: run.graded === 0 ? t(session.locale, 'grade.nothing') : gradingText(session.locale, run) });
}

/** `/kh route <region>` and `/kh route <region> move <KH-…> <n>` (DB-9). */
export async function route({ session, args, reply }: CommandContext): Promise<void> {
  const words = args.split(/\s+/).filter(Boolean);
  const [region, verb, codeText, positionText, extra] = words;
  if (!region || (verb !== undefined && verb !== 'move'))
    return void (await reply({ text: t(session.locale, 'usage.route') }));
  if (verb === 'move') {
    const code = codeText ? parseCode('customer', codeText) : undefined;
    const position = Number(positionText);
    if (!code || !Number.isInteger(position) || position < 1 || position > 100_000 || extra)
      return void (await reply({ text: t(session.locale, 'usage.route') }));
    const moved = await moveInRoute(session.ctx, { region, code, position });
    return void (await reply({ text: routeText(session.locale, moved) }));
  }
  await reply({ text: routeText(session.locale, await showRoute(session.ctx, region)) });
}
