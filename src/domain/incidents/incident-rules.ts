import type { IncidentCause, IncidentStatus, InspectionReason } from '../../generated/prisma/client.js';
import type { Role } from '../people/roles.js';

export type { IncidentCause, IncidentStatus };

export const INCIDENT_CAUSES: readonly IncidentCause[] = [
  'leak',
  'possible_leak',
  'damage',
  'theft',
  'loss',
  'fire',
  'other',
];

/** ARCH-23: damage, theft, loss or fire calls for an inspection of the archive. */
export const INSPECTION_FOR_CAUSE: Partial<Record<IncidentCause, InspectionReason>> = {
  damage: 'damage',
  theft: 'theft',
  loss: 'loss',
  fire: 'fire',
};

/** INFO-27: the supervisor and the service manager are told and act; SEC-13: the GM's office too. */
export const INCIDENT_HANDLERS: readonly Role[] = ['supervisor', 'service_manager', 'general_manager'];

/** reported → remedied → closed; each step once. */
export const NEXT_STATUS: Record<IncidentStatus, IncidentStatus | null> = {
  reported: 'remedied',
  remedied: 'closed',
  closed: null,
};

export const MAX_INCIDENT_CUSTOMERS = 20;
