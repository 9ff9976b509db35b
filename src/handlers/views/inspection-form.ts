import type { App } from '@slack/bolt';
import { formErrors } from '../../blocks/customer-form.js';
import { ACTION, VIEW } from '../../blocks/ids.js';
import { InspectionFormMetadata, inspectionDoneText, readPassedItems } from '../../blocks/inspections.js';
import { checkInspectionForm, completeInspection } from '../../domain/custody/inspections.js';
import type { HandlerDeps } from '../deps.js';
import { parseJsonField } from '../reply.js';
import { submission } from './submission.js';

/** The inspection checklist (INFO-14, INFO-16, ARCH-21, ARCH-22, ARCH-23, ARCH-24): readings and findings checked beside their fields. */
export function registerInspectionForm(app: App, deps: HandlerDeps): void {
  submission(app, deps, VIEW.inspectionForm, { errorField: 'notes' }, async ({ session, locale, view }) => {
    const code = InspectionFormMetadata.safeParse(parseJsonField(view.private_metadata)).data?.code ?? '';
    const values = view.state.values;
    const text = (block: string) => values[block]?.[ACTION.fieldValue]?.value ?? '';
    const input = {
      temperature: text('temperature'),
      humidity: text('humidity'),
      findings: text('findings'),
      notes: text('notes'),
    };
    const validation = await checkInspectionForm(session.ctx, input);
    if (!validation.ok) return { errors: formErrors(locale, validation.errors) };
    const passed = readPassedItems(values);
    const done = await completeInspection(session.ctx, { code, passed, ...input });
    return { done: inspectionDoneText(locale, done) };
  });
}
