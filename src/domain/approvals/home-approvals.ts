import type { RequestKind, RequestState } from '../../generated/prisma/client.js';
import type { Db } from '../context.js';
import type { PersonProfile } from '../people/person.js';
import { mayDecide } from './approvers.js';

export const HOME_REQUESTS = 10;

export interface HomeApprovals {
  waitingForMe: { code: string; kind: RequestKind; customerCode: string; requester: string; openedAt: Date }[];
  myRequests: { code: string; kind: RequestKind; customerCode: string; state: RequestState; createdAt: Date }[];
}

/** App Home: the steps waiting for this person's decision, and their own latest requests. */
export async function homeApprovals(db: Db, person: PersonProfile): Promise<HomeApprovals> {
  const me = await db.person.findUniqueOrThrow({
    where: { id: person.id },
    select: { id: true, roles: true, departmentId: true },
  });
  const open =
    me.roles.length === 0
      ? []
      : await db.approvalStep.findMany({
          where: {
            state: 'open',
            roles: { hasSome: me.roles },
            request: { state: 'pending', requesterId: { not: me.id } },
          },
          include: {
            request: {
              select: {
                code: true,
                kind: true,
                requesterId: true,
                departmentId: true,
                customerCode: true,
                requester: { select: { slackUserId: true } },
              },
            },
          },
          orderBy: { openedAt: 'asc' },
          take: 50,
        });
  const mine = await db.request.findMany({
    where: { requesterId: me.id },
    orderBy: { id: 'desc' },
    take: HOME_REQUESTS,
    select: { code: true, kind: true, state: true, createdAt: true, customerCode: true },
  });
  return {
    waitingForMe: open
      .filter((step) => mayDecide(me, step, step.request))
      .slice(0, HOME_REQUESTS)
      .map((step) => ({
        code: step.request.code,
        kind: step.request.kind,
        customerCode: step.request.customerCode,
        requester: step.request.requester.slackUserId,
        openedAt: step.openedAt ?? new Date(0),
      })),
    myRequests: mine.map((r) => ({
      code: r.code,
      kind: r.kind,
      customerCode: r.customerCode,
      state: r.state,
      createdAt: r.createdAt,
    })),
  };
}
