import { confirmDestructionBlocks, destructionDetailText, destructionOverviewText } from '../../blocks/destruction.js';
import { escapeMrkdwn, t } from '../../blocks/i18n/index.js';
import { parseCode } from '../../domain/codes.js';
import {
  destructionOverview,
  proposeDestruction,
  scheduleDestruction,
  showDestruction,
} from '../../domain/custody/destruction.js';
import { messageApprovers, openRequesterThread } from '../approvals/notify.js';
import type { CommandContext } from './command-context.js';
import { MENTION } from './mentions.js';

/**
 * `/kh destruction` (ARCH-29): the expired volumes and the batches; `propose <部门> [JZ-…]` a
 * batch for the joint appraisal; `destroy <XH-…> <@supervisor> <place>` after the hold.
 */
export async function destruction(context: CommandContext): Promise<void> {
  const { session, args, reply, client, deps } = context;
  const [verb, first, ...rest] = args.split(/\s+/).filter(Boolean);
  const usage = () => reply({ text: t(session.locale, 'usage.destruction') });
  if (!verb)
    return void (await reply({
      text: destructionOverviewText(session.locale, await destructionOverview(session.ctx)),
    }));
  if (verb === 'show') {
    const code = first ? parseCode('destruction', first) : undefined;
    if (!code || rest.length) return void (await usage());
    const text = destructionDetailText(session.locale, await showDestruction(session.ctx, code));
    // A long batch is cut into messages Slack takes (each at most 3,000 characters), never truncated.
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i += 40) await reply({ text: lines.slice(i, i + 40).join('\n') });
    return;
  }
  if (verb === 'propose') {
    const codes = rest.map((code) => parseCode('volume', code));
    if (!first || codes.some((code) => code === undefined)) return void (await usage());
    const proposed = await proposeDestruction(session.ctx, { department: first, codes: codes as string[] });
    await reply({
      text: t(session.locale, 'destruction.proposed', {
        code: proposed.batch,
        count: proposed.volumes.length,
        request: proposed.request.code,
      }),
    });
    await openRequesterThread(deps, client, session.locale, proposed.request);
    const open = proposed.request.steps.find((s) => s.state === 'open');
    if (open) await messageApprovers(deps, client, proposed.request, open.id, proposed.approvers);
    return;
  }
  if (verb === 'destroy') {
    const code = first ? parseCode('destruction', first) : undefined;
    const supervisor = MENTION.exec(rest[0] ?? '')?.[1];
    const place = rest.slice(1).join(' ');
    if (!code || !supervisor || !place) return void (await usage());
    const scheduled = await scheduleDestruction(session.ctx, { code, supervisor, place });
    await client.chat.postMessage({
      channel: supervisor,
      text: t(session.locale, 'destruction.confirm_ask', {
        code,
        place: escapeMrkdwn(scheduled.place),
        volumes: scheduled.volumes,
      }),
      blocks: confirmDestructionBlocks(session.locale, scheduled),
    });
    return void (await reply({ text: t(session.locale, 'destruction.scheduled', { code, user: supervisor }) }));
  }
  await usage();
}
