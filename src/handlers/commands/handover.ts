import { handoverBlocks, handoverText } from '../../blocks/handover.js';
import { t } from '../../blocks/i18n/index.js';
import { parseCode } from '../../domain/codes.js';
import { cancelHandover, showHandover, startHandover } from '../../domain/custody/handover.js';
import type { CommandContext } from './command-context.js';
import { MENTION } from './mentions.js';

/**
 * `/kh handover @from @to [materials and equipment]` starts a handover (its checklist goes to both
 * people with a confirm button); `/kh handover show <YJ-…>` shows one as it stands.
 */
export async function handover({ session, args, reply, client }: CommandContext): Promise<void> {
  const [first, second, ...rest] = args.split(/\s+/).filter(Boolean);
  if (first === 'cancel') {
    const code = second ? parseCode('handover', second) : undefined;
    if (!code || rest.length) return void (await reply({ text: t(session.locale, 'usage.handover') }));
    await cancelHandover(session.ctx, code);
    return void (await reply({ text: t(session.locale, 'handover.cancelled', { code }) }));
  }
  if (first === 'show') {
    const code = second ? parseCode('handover', second) : undefined;
    if (!code || rest.length) return void (await reply({ text: t(session.locale, 'usage.handover') }));
    const shown = await showHandover(session.ctx, code);
    return void (await reply({ text: handoverText(session.locale, shown) }));
  }
  const from = MENTION.exec(first ?? '')?.[1];
  const to = MENTION.exec(second ?? '')?.[1];
  if (!from || !to) return void (await reply({ text: t(session.locale, 'usage.handover') }));
  const started = await startHandover(session.ctx, { from, to, materials: rest.join(' ') });
  const { forFrom: _f, forTo: _t, ...forMe } = started;
  await reply({ text: handoverText(session.locale, forMe) });
  // Each of the two gets the checklist as they may see it (a 绝密 customer is not theirs to learn of).
  for (const [person, view] of [
    [from, started.forFrom],
    [to, started.forTo],
  ] as const)
    await client.chat.postMessage({
      channel: person,
      text: t(session.locale, 'handover.asked', { code: started.code }),
      blocks: handoverBlocks(session.locale, view),
    });
}
