import { can } from '../access/capabilities.js';
import { viewersOf } from '../audit/query-views.js';
import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { hasAnyRole } from '../people/roles.js';
import { denied, runUseCase } from '../use-case.js';
import { rolesActedFor } from './approvers.js';

export interface Revoked {
  code: string;
  what: 'grant' | 'permission' | 'report_grant';
}

/**
 * `/kh request revoke <request code>`: ends what an approved request opened — a view grant,
 * a copy/provision permission, a department's access to a report series — before it expires. Those who could decide its steps (by
 * their roles, as for the decision itself) and supervisor and above may; the requester
 * cannot revoke for others and gains nothing by revoking their own. Audited.
 */
export function revokeApproval(ctx: UseCaseContext, code: string): Promise<Revoked> {
  return runUseCase(ctx, async ({ tx, now, me, audit, refuse }) => {
    const request = await tx.request.findUnique({ where: { code }, include: { steps: true } });
    const mayRevoke =
      request !== null &&
      (can(me.roles, 'manageSecrecy') || request.steps.some((step) => rolesActedFor(me, step, request).length > 0));
    if (!request || !mayRevoke) {
      return refuse(new DomainError('not_allowed', { action: 'revoke' }), denied('request', code, 'request.revoke'));
    }
    const what = request.kind === 'view' ? 'grant' : request.kind === 'report_access' ? 'report_grant' : 'permission';
    const open = { requestId: request.id, revokedAt: null };
    const { count } =
      what === 'grant'
        ? await tx.accessGrant.updateMany({ where: { ...open, expiresAt: { gt: now } }, data: { revokedAt: now } })
        : what === 'report_grant'
          ? await tx.reportGrant.updateMany({ where: { ...open, expiresAt: { gt: now } }, data: { revokedAt: now } })
          : await tx.permission.updateMany({
              where: { ...open, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
              data: { revokedAt: now },
            });
    if (count === 0) throw new DomainError('nothing_to_revoke', { code });
    await audit({ action: 'request.revoked', subjectType: 'request', subjectId: code, details: { what } });
    return { code, what };
  });
}

/**
 * SEC-13: after a leak, the supervisor may close the customers named in a report to everyone
 * its exposure list names: their active view grants and copy permissions for those
 * customers end at once, each audited. Returns how many were revoked.
 */
export function revokeExposedAccess(ctx: UseCaseContext, incidentCode: string): Promise<{ revoked: number }> {
  return runUseCase(ctx, async ({ tx, now, me, audit, refuse }) => {
    if (!hasAnyRole(me.roles, ['supervisor'])) {
      return refuse(
        new DomainError('not_allowed', { action: 'revoke' }),
        denied('incident', incidentCode, 'incident.revoke_exposed'),
      );
    }
    const incident = await tx.incident.findUnique({
      where: { code: incidentCode },
      include: { customers: { include: { customer: { select: { id: true, code: true } } } } },
    });
    if (!incident) throw new DomainError('incident_not_found', { code: incidentCode });
    const codes = incident.customers.map((c) => c.customer.code);
    const sightings = await viewersOf(tx, codes, incident.periodFrom, incident.periodTo);
    let revoked = 0;
    for (const { customer } of incident.customers) {
      const people = (sightings.get(customer.code) ?? []).map((s) => s.slackUserId);
      if (people.length === 0) continue;
      const holders = { customerId: customer.id, revokedAt: null, person: { slackUserId: { in: people } } };
      const grants = await tx.accessGrant.findMany({
        where: { ...holders, expiresAt: { gt: now } },
        select: { id: true, person: { select: { slackUserId: true } } },
      });
      const permissions = await tx.permission.findMany({
        where: {
          customerId: customer.id,
          revokedAt: null,
          personId: { in: (await tx.person.findMany({ where: { slackUserId: { in: people } } })).map((p) => p.id) },
          OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
        },
        select: { id: true, personId: true },
      });
      if (grants.length > 0)
        await tx.accessGrant.updateMany({ where: { id: { in: grants.map((g) => g.id) } }, data: { revokedAt: now } });
      if (permissions.length > 0)
        await tx.permission.updateMany({
          where: { id: { in: permissions.map((p) => p.id) } },
          data: { revokedAt: now },
        });
      for (const grant of grants) {
        await audit({
          action: 'grant.revoked',
          subjectType: 'customer',
          subjectId: customer.code,
          details: { holder: grant.person.slackUserId, incident: incidentCode },
        });
      }
      if (permissions.length > 0) {
        await audit({
          action: 'permission.revoked',
          subjectType: 'customer',
          subjectId: customer.code,
          details: { count: permissions.length, incident: incidentCode },
        });
      }
      revoked += grants.length + permissions.length;
    }
    return { revoked };
  });
}
