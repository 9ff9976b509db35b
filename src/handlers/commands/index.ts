import type { App } from '@slack/bolt';
import { helpText } from '../../blocks/help.js';
import { escapeMrkdwn, t } from '../../blocks/i18n/index.js';
import { SLASH_COMMAND } from '../../blocks/ids.js';
import { refusedSubcommand, type Subcommand } from '../../domain/access/capabilities.js';
import { refuseSubcommand } from '../../domain/access/refuse-subcommand.js';
import { beginSession, type HandlerDeps } from '../deps.js';
import { failureText } from '../reply.js';
import { archiveStats, file, location, reconcile, sheet, shelve, where } from './archive.js';
import type { SubcommandHandler } from './command-context.js';
import { audit, config, custodian, exportRegister, incident } from './confidentiality.js';
import { edit, find, matter, newCustomer, show } from './customers.js';
import { destruction } from './destruction.js';
import { handover } from './handover.js';
import { help, lang, whoami } from './help.js';
import { inspection } from './inspections.js';
import { loans, returnVolume } from './loans.js';
import { register } from './registers.js';
import { report } from './reports.js';
import { request } from './requests.js';
import { role } from './role.js';
import { grade, importFigures, route } from './statistics.js';
import { received, submissions } from './submissions.js';

const SUBCOMMANDS: Record<Subcommand, SubcommandHandler> = {
  help,
  whoami,
  lang,
  new: newCustomer,
  find,
  show,
  edit,
  export: exportRegister,
  request,
  incident,
  audit,
  custodian,
  file,
  where,
  sheet,
  location,
  shelve,
  loans,
  return: returnVolume,
  reconcile,
  import: importFigures,
  grade,
  route,
  register,
  report,
  submissions,
  received,
  inspection,
  destruction,
  matter,
  archive: archiveStats,
  handover,
  role,
  config,
};

/**
 * Command text as the person typed it: Slack escapes `&`, `<` and `>` in it (`A&B` arrives as
 * `A&amp;B`); mentions (`<@U…>`) and channel links stay as Slack writes them.
 */
export function fromSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * `/kh <subcommand> …`: ack at once, then route. A subcommand the person may not use is
 * refused (and recorded) before it runs; an unknown one gets the help.
 */
export function registerCommands(app: App, deps: HandlerDeps): void {
  app.command(SLASH_COMMAND, async ({ ack, command, respond, client }) => {
    await ack();
    const text = fromSlackText(command.text).trim();
    const first = text.split(/\s+/)[0] || 'help';
    const sub = first.toLowerCase();
    const args = text.slice(first.length).trim();
    const reply = (message: { text: string; blocks?: object[] }) =>
      respond({ response_type: 'ephemeral', text: message.text, ...(message.blocks && { blocks: message.blocks }) });
    let locale = deps.defaultLocale;
    try {
      const session = await beginSession(deps, command.user_id);
      locale = session.locale;
      const handler = SUBCOMMANDS[sub as Subcommand];
      const context = { deps, session, args, triggerId: command.trigger_id, client, reply };
      if (handler && Object.hasOwn(SUBCOMMANDS, sub)) {
        const refused = refusedSubcommand(session.person.roles, sub as Subcommand);
        if (refused) await refuseSubcommand(session.ctx, refused, args);
        await handler(context);
      } else {
        const unknown = t(locale, 'usage.unknown', { sub: escapeMrkdwn(first.slice(0, 30)) });
        await reply({ text: `${unknown}\n\n${helpText(locale, session.person)}` });
      }
    } catch (error) {
      await reply({ text: failureText(deps, locale, error, `command ${sub}`) });
    }
  });
}
