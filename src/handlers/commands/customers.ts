import { customerCardBlocks, customerCardText } from '../../blocks/customer-card.js';
import { customerFormView, formValuesFromRecord, initialFormValues } from '../../blocks/customer-form.js';
import { findResultsBlocks, findResultsText } from '../../blocks/find-results.js';
import { t } from '../../blocks/i18n/index.js';
import { availableSubcommands } from '../../domain/access/capabilities.js';
import { parseCode } from '../../domain/codes.js';
import { findCustomers } from '../../domain/customers/find-customers.js';
import { openCustomerForEdit } from '../../domain/customers/open-customer-for-edit.js';
import { reportMatter } from '../../domain/customers/report-matter.js';
import { showCustomer } from '../../domain/customers/show-customer.js';
import { DomainError } from '../../domain/errors.js';
import { configValues } from '../../domain/settings/config-values.js';
import type { CommandContext } from './command-context.js';

export async function newCustomer({ session, client, triggerId }: CommandContext): Promise<void> {
  if (!availableSubcommands(session.person.roles).includes('new'))
    throw new DomainError('not_allowed', { action: 'new' });
  await client.views.open({
    trigger_id: triggerId,
    view: customerFormView({
      locale: session.locale,
      metadata: { mode: 'create' },
      values: initialFormValues(
        session.ctx.now,
        session.ctx.timeZone,
        (await configValues(session.ctx)).secrecy_default_years,
      ),
    }),
  });
}

export async function find({ session, args, reply }: CommandContext): Promise<void> {
  if (args === '') {
    await reply({ text: t(session.locale, 'usage.find') });
    return;
  }
  const result = await findCustomers(session.ctx, { query: args });
  await reply({ text: findResultsText(session.locale, result), blocks: findResultsBlocks(session.locale, result) });
}

export async function show({ session, args, reply, deps }: CommandContext): Promise<void> {
  const code = parseCode('customer', args);
  if (!code) {
    await reply({ text: t(session.locale, 'usage.show') });
    return;
  }
  const shown = await showCustomer(session.ctx, code);
  await reply({
    text: customerCardText(shown),
    blocks: customerCardBlocks(session.locale, shown, deps.timeZone),
  });
}

export async function edit({ session, args, reply, client, triggerId }: CommandContext): Promise<void> {
  const code = parseCode('customer', args);
  if (!code) {
    await reply({ text: t(session.locale, 'usage.edit') });
    return;
  }
  await openEditForm(session, code, client, triggerId);
}

/** Opens the edit form for a customer (from `/kh edit` or the card's Edit button). */
export async function openEditForm(
  session: CommandContext['session'],
  code: string,
  client: CommandContext['client'],
  triggerId: string,
): Promise<void> {
  const { customer, values } = await openCustomerForEdit(session.ctx, code);
  await client.views.open({
    trigger_id: triggerId,
    view: customerFormView({
      locale: session.locale,
      metadata: { mode: 'edit', code: customer.code, version: customer.version },
      values: formValuesFromRecord(values, customer.secrecyUntil, session.ctx.timeZone),
    }),
  });
}

/** `/kh matter <KH-…> [YYYY-MM-DD] <text>` (ARCH-26): a major matter with a customer, reported to the archive. */
export async function matter({ session, args, reply }: CommandContext): Promise<void> {
  const [codeText = ''] = args.split(/\s+/);
  const code = parseCode('customer', codeText);
  // What follows the code: an optional day, then the text as typed (spaces and all).
  const after = args.slice(codeText.length).trim();
  const day = /^(\d{4}-\d{2}-\d{2})(?:\s|$)/.exec(after)?.[1] ?? null;
  const occurredOn = day;
  const text = day ? after.slice(day.length).trim() : after;
  if (!code || !text) return void (await reply({ text: t(session.locale, 'usage.matter') }));
  const reported = await reportMatter(session.ctx, { code, occurredOn, text });
  await reply({ text: t(session.locale, 'matter.reported', { code: reported.code, on: reported.occurredOn }) });
}
