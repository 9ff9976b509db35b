/**
 * What a leak or damage report must state (INFO-27, SEC-13): what happened, how it was
 * found, what was done about it; optionally the customers affected and since when. One zod
 * schema (types inferred) used by the form and by reportIncident.
 */
import { z } from 'zod';
import { type FormValidation, fieldError, validateForm } from '../form-input.js';
import { parseLocalDate, startOfLocalDay } from '../time.js';
import { INCIDENT_CAUSES } from './incident-rules.js';

export const INCIDENT_FIELDS = ['cause', 'description', 'howDiscovered', 'remedy', 'customers', 'since'] as const;
export type IncidentField = (typeof INCIDENT_FIELDS)[number];

const text = z.string().trim().min(1).max(2000);

/** The schema for a company time zone: `since` is a local day, the start of which counts. */
export function incidentInputSchema(timeZone: string) {
  return z.object({
    cause: z.string().pipe(z.enum(INCIDENT_CAUSES)),
    description: text,
    howDiscovered: text,
    remedy: text,
    /** Codes as typed (separated by spaces, commas or new lines); checked by reportIncident. */
    customerCodes: z.string().trim().max(2000).default(''),
    since: z
      .union([z.date(), z.string().trim()])
      .nullish()
      .transform((value, ctx) => {
        if (value instanceof Date) return value;
        if (!value) return undefined;
        const day = parseLocalDate(value);
        if (!day) {
          ctx.addIssue({ code: 'custom', ...fieldError({ code: 'invalid_date' }) });
          return z.NEVER;
        }
        return startOfLocalDay(day, timeZone);
      }),
  });
}

export type RawIncidentInput = z.input<ReturnType<typeof incidentInputSchema>>;
export type IncidentInput = z.output<ReturnType<typeof incidentInputSchema>>;

export function validateIncidentInput(
  raw: RawIncidentInput,
  timeZone: string,
): FormValidation<IncidentInput, IncidentField | 'customerCodes'> {
  return validateForm(incidentInputSchema(timeZone), [...INCIDENT_FIELDS, 'customerCodes'], raw);
}
