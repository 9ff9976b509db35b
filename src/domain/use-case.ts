/**
 * The one way to run a use case. `runUseCase(ctx, (scope) => …)` opens a transaction, loads
 * the acting person (registered on first contact, with their department) and hands the body
 * a scope that:
 *
 * - `audit(event)` appends an audit event by the actor at `now`, in the same transaction,
 *   so the change and its record commit or roll back together;
 * - `refuse(error, audit?, notices?)` ends the use case with a DomainError: its writes roll
 *   back, but the refusal's audit event (and a first-contact registration) is committed on
 *   its own, so a refused attempt is on the record although nothing else changed; `notices`
 *   (people to tell, such as the archivist of a probed duplicate) ride on the error to the
 *   handler, which sends them after answering;
 * - `revealed(customers, via)` records every classified customer the answer shows as a view
 *   (or an export) of it: SEC-16, the ledger proves who saw what.
 *
 * A DomainError thrown without `refuse` rolls everything back and is not audited (bad input).
 *
 * @example
 *   export function closeThing(ctx: UseCaseContext, code: string) {
 *     return runUseCase(ctx, async ({ tx, me, audit, refuse }) => {
 *       if (!can(me.roles, 'closeThings'))
 *         refuse(new DomainError('not_allowed', { action: 'close' }), denied('thing', code, 'thing.close'));
 *       await tx.thing.update({ where: { code }, data: { closed: true } });
 *       await audit({ action: 'thing.closed', subjectType: 'thing', subjectId: code });
 *     });
 *   }
 */
import type { SecrecyLevel } from './access/visibility.js';
import { type AuditEventInput, appendAuditEvent, appendAuditEvents } from './audit/append-audit-event.js';
import type { Actor, Tx, UseCaseContext } from './context.js';
import type { Notice } from './destination.js';
import type { DomainError } from './errors.js';
import { findOrRegisterPerson } from './people/ensure-person.js';
import type { PersonProfile } from './people/person.js';

/** An audit event as a use case states it: the actor and the time are the scope's. */
export type AuditRecord = Omit<AuditEventInput, 'at' | 'actor'>;

/** A customer an answer shows, at the level it had when shown. */
export interface RevealedCustomer {
  code: string;
  level: SecrecyLevel;
}

/** How a classified customer reached the person: a card, a result list, a form, a file… */
export type RevealedVia = 'show' | 'find' | 'export' | 'edit' | 'home' | 'where' | 'sheet';

export interface Scope {
  readonly tx: Tx;
  readonly now: Date;
  readonly timeZone: string;
  readonly actor: Actor;
  /** The acting person, registered on first contact. */
  readonly me: PersonProfile;
  audit(event: AuditRecord): Promise<void>;
  refuse(error: DomainError, audit?: AuditRecord, notices?: readonly Notice[]): never;
  revealed(customers: readonly RevealedCustomer[], via: RevealedVia, details?: Record<string, unknown>): Promise<void>;
}

/** The audit record of an attempt refused for lack of permission. */
export function denied(subjectType: string, subjectId: string | null, attempted: string, details = {}): AuditRecord {
  return { action: 'access.denied', subjectType, subjectId, details: { attempted, ...details } };
}

/** Thrown by `refuse`; caught by runUseCase, never seen outside this module. */
class Refusal extends Error {
  constructor(
    readonly error: DomainError,
    readonly audit: AuditRecord | undefined,
    readonly notices: readonly Notice[],
  ) {
    super(error.message);
  }
}

function actingPerson(tx: Tx, ctx: UseCaseContext): Promise<PersonProfile> {
  return findOrRegisterPerson(tx, {
    slackUserId: ctx.actor.slackUserId,
    now: ctx.now,
    registeredBy: ctx.actor.slackUserId,
  });
}

export async function runUseCase<T>(ctx: UseCaseContext, body: (scope: Scope) => Promise<T>): Promise<T> {
  const { db, now, actor } = ctx;
  const stamp = (event: AuditRecord): AuditEventInput => ({ ...event, at: now, actor: actor.slackUserId });
  try {
    return await db.$transaction(async (tx) => {
      const me = await actingPerson(tx, ctx);
      return body({
        tx,
        now,
        timeZone: ctx.timeZone,
        actor,
        me,
        audit: (event) => appendAuditEvent(tx, stamp(event)),
        refuse(error, audit, notices = []) {
          throw new Refusal(error, audit, notices);
        },
        async revealed(customers, via, details = {}) {
          const classified = customers.filter((customer) => customer.level !== 'unclassified');
          await appendAuditEvents(
            tx,
            classified.map((customer) =>
              stamp({
                action: via === 'export' ? 'customer.exported' : 'customer.viewed',
                subjectType: 'customer',
                subjectId: customer.code,
                details: { level: customer.level, via, ...details },
              }),
            ),
          );
        },
      });
    });
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    await db.$transaction(async (tx) => {
      await actingPerson(tx, ctx);
      if (error.audit) await appendAuditEvent(tx, stamp(error.audit));
    });
    // The notices go out only once the refusal is on the record.
    error.error.notices = error.notices;
    throw error.error;
  }
}
