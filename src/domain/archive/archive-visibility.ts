/**
 * Who sees a volume or a document (SEC-3, INFO-22): the same policy as for customers
 * (access/visibility.ts), applied at the item's own level, and never more than the
 * customer's. A grant to the customer covers items up to the level it was approved at: a
 * top-secret document in a customer's archive is not opened by a grant to read the customer.
 */
import {
  effectiveSecrecy,
  levelRank,
  type SecrecyLevel,
  type Viewer,
  type Visibility,
  visibilityOf,
} from '../access/visibility.js';

export interface ArchiveCustomer {
  id: number;
  code: string;
  ownerId: number;
  secrecyLevel: SecrecyLevel;
  secrecyUntil: Date | null;
}

export interface ArchiveItem {
  secrecyLevel: SecrecyLevel;
  secrecyUntil: Date | null;
}

const RANK: Record<Visibility, number> = { hidden: 0, masked: 1, visible: 2 };

export function itemVisibility(viewer: Viewer, customer: ArchiveCustomer, item: ArchiveItem, now: Date): Visibility {
  const ofCustomer = visibilityOf(viewer, customer, now);
  const itemLevel = effectiveSecrecy(item, now);
  // A grant covers the customer's level; an item above it is judged without the grant.
  const above = levelRank(itemLevel) > levelRank(effectiveSecrecy(customer, now));
  const asViewer = above ? { ...viewer, grantedCustomerIds: new Set<number>() } : viewer;
  const ofItem = visibilityOf(
    asViewer,
    { ...customer, secrecyLevel: item.secrecyLevel, secrecyUntil: item.secrecyUntil },
    now,
  );
  return RANK[ofItem] < RANK[ofCustomer] ? ofItem : ofCustomer;
}

export const CUSTOMER_FOR_ARCHIVE = {
  id: true,
  code: true,
  name: true,
  ownerId: true,
  secrecyLevel: true,
  secrecyUntil: true,
} as const;
