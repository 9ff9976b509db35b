import type { App } from '@slack/bolt';
import { customerCreatedText } from '../../blocks/customer-card.js';
import { CustomerFormMetadata, formErrors, readCustodians, readCustomerForm } from '../../blocks/customer-form.js';
import { listOf, t } from '../../blocks/i18n/index.js';
import { VIEW } from '../../blocks/ids.js';
import { createCustomer } from '../../domain/customers/create-customer.js';
import { validateCustomerInput } from '../../domain/customers/customer-input.js';
import { updateCustomer } from '../../domain/customers/update-customer.js';
import type { HandlerDeps } from '../deps.js';
import { parseJsonField } from '../reply.js';
import { submission } from './submission.js';

/**
 * Submission of the customer form. Field problems come back beside their fields
 * (`response_action: errors`) and nothing is saved; success replaces the form with a
 * confirmation and the same confirmation is sent to the submitter as a DM.
 */
export function registerCustomerFormSubmission(app: App, deps: HandlerDeps): void {
  submission(
    app,
    deps,
    VIEW.customerForm,
    {
      errorField: 'name',
      fieldOf: (error) => {
        switch (error.code) {
          case 'customer_duplicate_credit_code':
          case 'customer_duplicate_hidden_credit_code':
            return 'creditCode';
          case 'secrecy_period_too_short':
            return 'secrecyUntil';
          case 'customer_custodians_required':
          case 'custodian_self':
          case 'person_without_role':
            return 'custodians';
          case 'not_allowed':
            return error.params.action === 'secrecy'
              ? 'secrecyLevel'
              : error.params.action === 'handover'
                ? 'ownerSlackUserId'
                : undefined;
          default:
            return undefined;
        }
      },
    },
    async ({ session, locale, view, userId, client }) => {
      const metadata = CustomerFormMetadata.safeParse(parseJsonField(view.private_metadata));
      if (!metadata.success) {
        deps.logger.warn({ user: userId }, 'customer form with unreadable private_metadata');
        return { errors: { name: t(locale, 'fieldError.invalid_choice') } };
      }
      const validation = validateCustomerInput(readCustomerForm(view.state.values), {
        now: session.ctx.now,
        timeZone: session.ctx.timeZone,
      });
      if (!validation.ok) return { errors: formErrors(locale, validation.errors) };
      let text: string;
      if (metadata.data.mode === 'create') {
        const created = await createCustomer(session.ctx, {
          ...validation.value,
          custodianSlackUserIds: readCustodians(view.state.values),
        });
        text = customerCreatedText(locale, created);
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
      return {
        done: text,
        after: async () => {
          await client.chat.postMessage({ channel: userId, text });
        },
      };
    },
  );
}
