import { t } from '../../blocks/i18n/index.js';
import { inspectionFormView, inspectionListText } from '../../blocks/inspections.js';
import { parseCode } from '../../domain/codes.js';
import { closeFinding, listInspections, openInspection, setSecurityItems } from '../../domain/custody/inspections.js';
import type { CommandContext } from './command-context.js';

/**
 * `/kh inspection` lists them; `do <JC-…>` opens the checklist; `close <finding> [note]` closes a
 * follow-up; `items <item；item；…>` (admins) sets the store's security rules (ARCH-24).
 */
export async function inspection({ session, args, reply, client, triggerId, deps }: CommandContext): Promise<void> {
  const [verb, first, ...rest] = args.split(/\s+/).filter(Boolean);
  const usage = () => reply({ text: t(session.locale, 'usage.inspection') });
  if (!verb)
    return void (await reply({
      text: inspectionListText(session.locale, await listInspections(session.ctx), deps.timeZone),
    }));
  if (verb === 'do') {
    const code = first ? parseCode('inspection', first) : undefined;
    if (!code || rest.length) return void (await usage());
    const opened = await openInspection(session.ctx, code);
    return void (await client.views.open({ trigger_id: triggerId, view: inspectionFormView(session.locale, opened) }));
  }
  if (verb === 'close') {
    const id = Number(first?.replace(/^#/, ''));
    if (!Number.isInteger(id) || id < 1 || id > 2_000_000_000) return void (await usage());
    const closed = await closeFinding(session.ctx, { id, note: rest.join(' ') });
    return void (await reply({
      text: t(session.locale, 'inspection.finding_closed', { id: closed.id, code: closed.inspection }),
    }));
  }
  if (verb === 'items') {
    const items = [first, ...rest].join(' ').split(/[;；]/);
    const set = await setSecurityItems(session.ctx, items);
    return void (await reply({ text: t(session.locale, 'inspection.items_set', { count: set.length }) }));
  }
  await usage();
}
