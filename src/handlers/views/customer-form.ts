import type { App, types } from '@slack/bolt';
import { CustomerFormMetadata, formErrors, readCustomerForm } from '../../blocks/customer-form.js';
import { listOf, t, type UiLocale } from '../../blocks/i18n/index.js';
import { VIEW } from '../../blocks/ids.js';
import { levelLabel } from '../../blocks/labels.js';
import { plain, section } from '../../blocks/text.js';
import { createCustomer } from '../../domain/customers/create-customer.js';
import { validateCustomerInput } from '../../domain/customers/customer-input.js';
import { updateCustomer } from '../../domain/customers/update-customer.js';
import { isDomainError } from '../../domain/errors.js';
import { beginSession, type HandlerDeps } from '../deps.js';
import { failureText, parseJsonField } from '../reply.js';

function doneView(locale: UiLocale, text: string): types.ModalView {
  return {
    type: 'modal',
    title: plain(t(locale, 'modal.done.title'), 24),
    close: plain(t(locale, 'modal.close'), 24),
    blocks: [section(text)],
  };
}

/** Which form field a domain refusal belongs beside. */
function fieldOf(code: string): string {
  return code === 'customer_duplicate_credit_code' ? 'creditCode' : 'name';
}

/**
 * Submission of the customer form. Field problems come back beside their fields
 * (`response_action: errors`) and nothing is saved; success replaces the form with a
 * confirmation and the same confirmation is sent to the submitter as a DM.
 */
export function registerCustomerFormSubmission(app: App, deps: HandlerDeps): void {
  app.view(VIEW.customerForm, async ({ ack, body, view, client }) => {
    let locale = deps.defaultLocale;
    try {
      const session = await beginSession(deps, body.user.id);
      locale = session.locale;
      const metadata = CustomerFormMetadata.safeParse(parseJsonField(view.private_metadata));
      if (!metadata.success) {
        deps.logger.warn({ user: body.user.id }, 'customer form with unreadable private_metadata');
        await ack({ response_action: 'errors', errors: { name: t(locale, 'fieldError.invalid_choice') } });
        return;
      }
      const validation = validateCustomerInput(readCustomerForm(view.state.values), {
        now: session.ctx.now,
        timeZone: session.ctx.timeZone,
      });
      if (!validation.ok) {
        await ack({ response_action: 'errors', errors: formErrors(locale, validation.errors) });
        return;
      }
      let text: string;
      if (metadata.data.mode === 'create') {
        const created = await createCustomer(session.ctx, validation.value);
        text = t(locale, 'customer.created', {
          code: created.code,
          name: created.name,
          level: levelLabel(locale, created.secrecyLevel),
        });
      } else {
        const updated = await updateCustomer(session.ctx, {
          code: metadata.data.code,
          expectedVersion: metadata.data.version,
          customer: validation.value,
        });
        text = t(locale, 'customer.updated', {
          code: updated.code,
          version: updated.version,
          fields: listOf(
            locale,
            updated.changedFields.map((field) => t(locale, `field.${field}`)),
          ),
        });
      }
      await ack({ response_action: 'update', view: doneView(locale, text) });
      await client.chat.postMessage({ channel: body.user.id, text });
    } catch (error) {
      const message = failureText(deps, locale, error, 'view customer_form');
      const field = isDomainError(error) ? fieldOf(error.code) : 'name';
      await ack({ response_action: 'errors', errors: { [field]: message } }).catch(() => {});
    }
  });
}
