import { effectiveSecrecy, type SecrecyLevel } from '../access/visibility.js';
import { type Sighting, viewersOf } from '../audit/query-views.js';
import { nextCode, parseCode } from '../codes.js';
import type { UseCaseContext } from '../context.js';
import { EVENT_INSPECTION_DAYS } from '../custody/inspection-rules.js';
import type { Destination, Notice } from '../destination.js';
import { DomainError } from '../errors.js';
import { readConfig } from '../settings/config-values.js';
import { getChannel } from '../settings/settings.js';
import { addDays, dbDateFromLocalDate, localDateOf } from '../time.js';
import { denied, runUseCase } from '../use-case.js';
import { type RawIncidentInput, validateIncidentInput } from './incident-input.js';
import { INSPECTION_FOR_CAUSE, type IncidentCause, MAX_INCIDENT_CUSTOMERS } from './incident-rules.js';

export interface AffectedCustomer {
  code: string;
  level: SecrecyLevel;
  viewers: Sighting[];
}

export interface IncidentReported {
  code: string;
  cause: IncidentCause;
  description: string;
  howDiscovered: string;
  remedy: string;
  reporterSlackUserId: string;
  reportedAt: Date;
  periodFrom: Date;
  customers: AffectedCustomer[];
  inspectionOpened: boolean;
  /** Who must be told at once (INFO-27, SEC-13). */
  recipients: {
    supervisors: string[];
    serviceManagers: string[];
    generalManagers: string[];
    gmOfficeChannel: string | null;
  };
  /** Where the report is sent: each person once, and the GM office channel in place of the GMs when set. */
  notify: Destination[];
  /** For the general managers alone: the codes withheld from the report (绝密 or matching nothing). */
  notices: Notice[];
}

/** Levels a leak report's recipients may not learn of: only the general manager sees them. */
const isWithheld = (level: SecrecyLevel) => level === 'top_secret';

/**
 * INFO-27: the supervisor, the service manager and the general manager's office are told.
 * The office is its channel when one is configured, otherwise the general managers in person.
 */
export function incidentDestinations(recipients: IncidentReported['recipients']): Destination[] {
  const { supervisors, serviceManagers, generalManagers, gmOfficeChannel } = recipients;
  const people = new Set([...supervisors, ...serviceManagers, ...(gmOfficeChannel ? [] : generalManagers)]);
  return [...people, ...(gmOfficeChannel ? [gmOfficeChannel] : [])].map((channel) => ({ channel }));
}

/** Splits the typed customer list; returns normalised codes and what could not be read. */
export function parseCodeList(text: string): { codes: string[]; invalid: string[] } {
  const tokens = text.split(/[\s,，、;；]+/).filter(Boolean);
  const codes: string[] = [];
  const invalid: string[] = [];
  for (const token of tokens) {
    const code = parseCode('customer', token);
    if (code) {
      if (!codes.includes(code)) codes.push(code);
    } else invalid.push(token.slice(0, 30));
  }
  return { codes, invalid };
}

/**
 * INFO-27, SEC-13: anyone who finds a leak or possible leak reports it at once. The report
 * is kept with its customers; for each, the people who saw it in the window are listed
 * (SEC-16) for the supervisor, the service manager and the GM's office. Damage, theft, loss
 * or fire also opens an inspection (ARCH-23).
 */
export async function reportIncident(ctx: UseCaseContext, raw: RawIncidentInput): Promise<IncidentReported> {
  const validation = validateIncidentInput(raw, ctx.timeZone);
  if (!validation.ok) throw new DomainError('invalid_form', { fields: Object.keys(validation.errors).join(', ') });
  const input = validation.value;
  const { db, now, timeZone } = ctx;
  const { codes, invalid } = parseCodeList(input.customerCodes);
  // Only the form of a code is checked here: whether it exists is not the reporter's answer.
  if (invalid.length > 0) throw new DomainError('incident_unknown_customers', { codes: invalid });
  if (codes.length > MAX_INCIDENT_CUSTOMERS) {
    throw new DomainError('incident_too_many_customers', { max: MAX_INCIDENT_CUSTOMERS });
  }
  const config = await readConfig(db);
  const window = input.since ? undefined : config.incident_view_window_days;
  const periodFrom = input.since ?? new Date(now.getTime() - (window ?? 0) * 86_400_000);
  if (periodFrom >= now) throw new DomainError('invalid_period');

  const created = await runUseCase(ctx, async ({ tx, me, audit, refuse }) => {
    const lastHour = await tx.incident.count({
      where: { reportedById: me.id, reportedAt: { gt: new Date(now.getTime() - 3_600_000) } },
    });
    if (lastHour >= config.incident_reports_per_hour) {
      return refuse(
        new DomainError('incident_rate_limited', { max: config.incident_reports_per_hour }),
        denied('incident', null, 'incident.report', { reason: 'rate_limited', lastHour }),
      );
    }
    const customers = await tx.customer.findMany({
      where: { code: { in: codes } },
      select: { id: true, code: true, secrecyLevel: true, secrecyUntil: true },
    });
    // INFO-27: a report is accepted from anyone, whatever it names. Codes that match no
    // customer are kept for the supervisor; the reporter's answer is the same either way.
    const unknownCodes = codes.filter((code) => !customers.some((c) => c.code === code));
    const year = localDateOf(now, timeZone).year;
    const code = await nextCode(tx, 'incident', year);
    const incident = await tx.incident.create({
      data: {
        code,
        cause: input.cause,
        description: input.description,
        howDiscovered: input.howDiscovered,
        remedy: input.remedy,
        periodFrom,
        periodTo: now,
        reportedById: me.id,
        reportedAt: now,
        unknownCodes,
        customers: { create: customers.map((c) => ({ customerId: c.id })) },
      },
      select: { id: true },
    });
    const inspectionReason = INSPECTION_FOR_CAUSE[input.cause];
    if (inspectionReason) {
      await tx.inspection.create({
        data: {
          code: await nextCode(tx, 'inspection', year),
          kind: 'event',
          reason: inspectionReason,
          incidentId: incident.id,
          requestedAt: now,
          // ARCH-23: done promptly after the event; the inspection-reminders job follows it up.
          dueOn: dbDateFromLocalDate(addDays(localDateOf(now, timeZone), EVENT_INSPECTION_DAYS)),
        },
      });
    }
    await audit({
      action: 'incident.reported',
      subjectType: 'incident',
      subjectId: code,
      details: { cause: input.cause, customers: codes, unknownCodes, inspection: inspectionReason ?? null },
    });
    const holders = await tx.person.findMany({
      where: { roles: { hasSome: ['supervisor', 'service_manager', 'general_manager'] } },
      select: { slackUserId: true, roles: true },
      orderBy: { id: 'asc' },
    });
    const withRole = (role: 'supervisor' | 'service_manager' | 'general_manager') =>
      holders.filter((h) => h.roles.includes(role)).map((h) => h.slackUserId);
    // SEC-3: the report goes to people who may not learn which codes are 绝密 (supervisor,
    // service manager, a channel): those customers are withheld from it exactly like codes
    // that match nothing, and both go to the general managers alone, who see everything.
    const shown = customers.filter((c) => !isWithheld(effectiveSecrecy(c, now)));
    const withheld = [
      ...customers.filter((c) => isWithheld(effectiveSecrecy(c, now))).map((c) => c.code),
      ...unknownCodes,
    ].sort();
    return {
      code,
      customers: shown.map((c) => ({ code: c.code, level: effectiveSecrecy(c, now) })),
      withheld,
      inspectionOpened: inspectionReason !== undefined,
      recipients: {
        supervisors: withRole('supervisor'),
        serviceManagers: withRole('service_manager'),
        generalManagers: withRole('general_manager'),
        gmOfficeChannel: await getChannel(tx, 'gm_office'),
      },
    };
  });

  const viewers = await viewersOf(db, codes, periodFrom, now);
  return {
    code: created.code,
    cause: input.cause,
    description: input.description,
    howDiscovered: input.howDiscovered,
    remedy: input.remedy,
    reporterSlackUserId: ctx.actor.slackUserId,
    reportedAt: now,
    periodFrom,
    customers: created.customers.map((c) => ({ ...c, viewers: viewers.get(c.code) ?? [] })),
    inspectionOpened: created.inspectionOpened,
    recipients: created.recipients,
    notify: incidentDestinations(created.recipients),
    notices:
      created.withheld.length > 0 && created.recipients.generalManagers.length > 0
        ? [
            {
              to: created.recipients.generalManagers.map((channel) => ({ channel })),
              about: { kind: 'incident_withheld_codes', incident: created.code, codes: created.withheld },
            },
          ]
        : [],
  };
}
