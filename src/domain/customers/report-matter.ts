/**
 * ARCH-26: any department reports a major matter between it and a customer to the archive, so
 * it does not stay with one salesperson; it is kept, dated, in the customer's record (ARCH-30)
 * and shown on the card. Only for a customer the reporter may read: otherwise the answer is
 * `/kh show`'s (the same refusal, audited the same way).
 */
import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { storableText } from '../form-input.js';
import { compareLocalDates, dbDateFromLocalDate, formatLocalDate, localDateOf, parseLocalDate } from '../time.js';
import { runUseCase } from '../use-case.js';
import { customerCard } from './show-customer.js';

export const MATTER_MAX_LENGTH = 1000;

export function reportMatter(
  ctx: UseCaseContext,
  input: { code: string; occurredOn: string | null; text: string },
): Promise<{ code: string; occurredOn: string }> {
  return runUseCase(ctx, async (scope) => {
    const { tx, now, timeZone, me, actor, audit } = scope;
    const today = localDateOf(now, timeZone);
    const day = input.occurredOn === null ? today : parseLocalDate(input.occurredOn);
    if (!day || compareLocalDates(day, today) > 0) throw new DomainError('matter_date_invalid');
    const text = storableText(input.text).trim();
    if (!text || text.length > MATTER_MAX_LENGTH)
      throw new DomainError('matter_text_invalid', { max: MATTER_MAX_LENGTH });
    // The card's own checks and audit: one the reporter may not read is refused as `/kh show` refuses it.
    const shown = await customerCard(scope, input.code, 'show');
    const department = me.departmentId
      ? ((await tx.department.findUnique({ where: { id: me.departmentId } }))?.name ?? null)
      : null;
    await tx.customerMatter.create({
      data: {
        customerId: shown.customer.id,
        department,
        reportedBy: actor.slackUserId,
        occurredOn: dbDateFromLocalDate(day),
        text,
        createdAt: now,
      },
    });
    await audit({
      action: 'customer.matter_reported',
      subjectType: 'customer',
      subjectId: input.code,
      details: { department, occurredOn: formatLocalDate(day) },
    });
    return { code: input.code, occurredOn: formatLocalDate(day) };
  });
}
