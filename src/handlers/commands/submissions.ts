import { t } from '../../blocks/i18n/index.js';
import { receivedText, submissionStatusText } from '../../blocks/submissions.js';
import { isDocumentType } from '../../domain/custody/submission-rules.js';
import { receiveSubmission, setSubmissionRules, submissionStatus } from '../../domain/custody/submissions.js';
import type { CommandContext } from './command-context.js';
import { MENTION } from './mentions.js';

/**
 * `/kh submissions [YYYY-MM]` shows a month (ARCH-5); `/kh submissions rule <部门> <material…>
 * [@person]` (admins) sets what the department owes each month.
 */
export async function submissions({ session, args, reply }: CommandContext): Promise<void> {
  const words = args.split(/\s+/).filter(Boolean);
  if (words[0] === 'rule') {
    const [, department, ...rest] = words;
    const person = MENTION.exec(rest.at(-1) ?? '')?.[1];
    const materials = person ? rest.slice(0, -1) : rest;
    if (!department || materials.length === 0 || !materials.every(isDocumentType))
      return void (await reply({ text: t(session.locale, 'usage.submissions') }));
    const set = await setSubmissionRules(session.ctx, {
      department,
      materials,
      responsibleSlackUserId: person ?? null,
    });
    return void (await reply({
      text: t(session.locale, 'submission.rules_set', { department: set.department, count: set.materials.length }),
    }));
  }
  if (words.length > 1) return void (await reply({ text: t(session.locale, 'usage.submissions') }));
  await reply({ text: submissionStatusText(session.locale, await submissionStatus(session.ctx, words[0] ?? null)) });
}

/** `/kh received <部门> <YYYY-MM> [material…]`: the archivist records what a department handed in. */
export async function received({ session, args, reply }: CommandContext): Promise<void> {
  const [department, month, ...materials] = args.split(/\s+/).filter(Boolean);
  if (!department || !month || !materials.every(isDocumentType))
    return void (await reply({ text: t(session.locale, 'usage.received') }));
  await reply({
    text: receivedText(session.locale, await receiveSubmission(session.ctx, { department, month, materials })),
  });
}
