import type { Db, Tx } from '../context.js';
import type { CustomerFieldName } from './customer-fields.js';

export interface FieldChange {
  field: CustomerFieldName;
  oldValue: string | null;
  newValue: string | null;
  version: number;
  changedAt: Date;
  changedBySlackUserId: string;
}

/** The latest field changes of a customer, newest first (ARCH-30); the caller has checked visibility. */
export async function listCustomerChanges(db: Db | Tx, customerId: number, take = 10): Promise<FieldChange[]> {
  const rows = await db.customerChange.findMany({
    where: { customerId },
    orderBy: [{ changedAt: 'desc' }, { id: 'desc' }],
    take,
    include: { changedBy: { select: { slackUserId: true } } },
  });
  return rows.map((row) => ({
    field: row.field as CustomerFieldName,
    oldValue: row.oldValue,
    newValue: row.newValue,
    version: row.version,
    changedAt: row.changedAt,
    changedBySlackUserId: row.changedBy.slackUserId,
  }));
}
