import { roleUsageText } from '../../blocks/help.js';
import { escapeMrkdwn, t } from '../../blocks/i18n/index.js';
import { roleLabel, rolesText } from '../../blocks/labels.js';
import { DomainError } from '../../domain/errors.js';
import { assignRole } from '../../domain/people/assign-role.js';
import { isRole } from '../../domain/people/roles.js';
import { sendNotices } from '../notices.js';
import type { CommandContext } from './command-context.js';
import { MENTION } from './mentions.js';

/** `/kh role @user <role> [department…]` or `/kh role @user remove <role>`. */
export async function role({ session, args, reply, client, deps }: CommandContext): Promise<void> {
  const [mention, second, third, ...rest] = args.split(/\s+/).filter(Boolean);
  const user = mention ? MENTION.exec(mention)?.[1] : undefined;
  const remove = second?.toLowerCase() === 'remove';
  const roleName = (remove ? third : second)?.toLowerCase();
  const department = remove ? undefined : [third, ...rest].filter(Boolean).join(' ') || undefined;
  if (!user || !roleName || (remove && rest.length > 0)) {
    await reply({ text: roleUsageText(session.locale) });
    return;
  }
  if (!isRole(roleName)) throw new DomainError('person_unknown_role', { role: roleName });
  const result = await assignRole(session.ctx, { targetSlackUserId: user, role: roleName, remove, department });
  const locale = session.locale;
  const params = {
    user,
    role: roleLabel(locale, roleName),
    roles: rolesText(locale, result.person.roles),
    department: result.person.department ? escapeMrkdwn(result.person.department) : t(locale, 'generic.none'),
  };
  if (result.pending) {
    await reply({ text: t(locale, 'role.proposed', { user, role: params.role }) });
    await sendNotices(deps, client, result.notices ?? []);
    return;
  }
  await reply({
    text: t(locale, !result.changed ? 'role.unchanged' : remove ? 'role.removed' : 'role.assigned', params),
  });
}
