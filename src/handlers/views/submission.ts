/**
 * The one way to handle a modal submission (the view counterpart of `button()`): the
 * session and language, the work, then exactly one ack:
 *
 * - `{ errors }`: problems shown beside their fields; nothing was saved;
 * - `{ done: text }`: the modal turns into a confirmation showing `text`;
 * - `{ close: true }`: the modal closes.
 *
 * `after` runs once the ack is sent (messages to other people, a DM copy). A failure before
 * the ack is shown in the form, beside `errorField` (or the field `fieldOf` names for a
 * domain refusal); a failure after it reaches the person by DM. Either way they read it in
 * their language, with a reference number when it is not a refusal, never a stack trace.
 */
import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { t, type UiLocale } from '../../blocks/i18n/index.js';
import { plain, section } from '../../blocks/text.js';
import { type AnyDomainError, isDomainError } from '../../domain/errors.js';
import { beginSession, type HandlerDeps, type Session } from '../deps.js';
import { sendNotices } from '../notices.js';
import { failureText } from '../reply.js';

export type SubmissionOutcome = ({ errors: Record<string, string> } | { done: string } | { close: true }) & {
  after?: () => Promise<void>;
};

export interface SubmissionInput {
  session: Session;
  locale: UiLocale;
  view: ViewSubmitAction['view'];
  userId: string;
  client: AllMiddlewareArgs['client'];
}

export interface SubmissionOptions {
  /** The field a failure is shown beside when it belongs to no particular field. */
  errorField: string;
  /** The field a domain refusal belongs beside, if any (a duplicate name beside the name). */
  fieldOf?: (error: AnyDomainError) => string | undefined;
}

/** The confirmation a submitted modal turns into. */
export function doneView(locale: UiLocale, text: string) {
  return {
    type: 'modal' as const,
    title: plain(t(locale, 'modal.done.title'), 24),
    close: plain(t(locale, 'modal.close'), 24),
    blocks: [section(text)],
  };
}

export function submission(
  app: App,
  deps: HandlerDeps,
  callbackId: string,
  options: SubmissionOptions,
  work: (input: SubmissionInput) => Promise<SubmissionOutcome>,
): void {
  app.view<ViewSubmitAction>(
    callbackId,
    async ({ ack, body, view, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
      let locale = deps.defaultLocale;
      let acked = false;
      try {
        const session = await beginSession(deps, body.user.id);
        locale = session.locale;
        const outcome = await work({ session, locale, view, userId: body.user.id, client });
        if ('errors' in outcome) {
          await ack({ response_action: 'errors', errors: outcome.errors });
          return;
        }
        acked = true;
        await ack('done' in outcome ? { response_action: 'update', view: doneView(locale, outcome.done) } : undefined);
        await outcome.after?.();
      } catch (error) {
        const message = failureText(deps, locale, error, `view ${callbackId}`);
        if (!acked) {
          const field = (isDomainError(error) && options.fieldOf?.(error)) || options.errorField;
          await ack({ response_action: 'errors', errors: { [field]: message } }).catch((ackError: unknown) =>
            deps.logger.error({ err: ackError, where: callbackId }, 'could not show the error in the form'),
          );
          if (isDomainError(error)) await sendNotices(deps, client, error.notices);
          return;
        }
        // The modal is closed or confirmed already: the person learns of the failure by DM.
        await client.chat
          .postMessage({ channel: body.user.id, text: message })
          .catch((dmError: unknown) =>
            deps.logger.error({ err: dmError, where: callbackId }, 'could not tell the user about a failure'),
          );
      }
    },
  );
}
