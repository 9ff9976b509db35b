import type { types } from '@slack/bolt';

/** Slack's limits (see notes/slack-offline-testing.md) that builders must respect. */
export const LIMITS = {
  sectionText: 3000,
  sectionField: 2000,
  plainTextLabel: 2000,
  modalTitle: 24,
  buttonText: 75,
  buttonValue: 2000,
  header: 150,
  privateMetadata: 3000,
} as const;

/** Cuts text to a limit (by code points, so a Chinese character is never split). */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

export const plain = (text: string, max: number = LIMITS.plainTextLabel): types.PlainTextElement => ({
  type: 'plain_text',
  text: clip(text, max),
  emoji: true,
});

export const mrkdwn = (text: string, max: number = LIMITS.sectionText): types.MrkdwnElement => ({
  type: 'mrkdwn',
  text: clip(text, max),
});

/**
 * A form in a modal: the view the submission handler is registered for, what it carries back
 * (private_metadata), its title and submit label (already in the person's language) and a
 * cancel button labelled `cancel`.
 */
export function formModal(form: {
  callbackId: string;
  metadata?: unknown;
  title: string;
  submit: string;
  cancel: string;
  blocks: types.ModalView['blocks'];
}): types.ModalView {
  return {
    type: 'modal',
    callback_id: form.callbackId,
    ...(form.metadata !== undefined && { private_metadata: JSON.stringify(form.metadata) }),
    title: plain(form.title, LIMITS.modalTitle),
    submit: plain(form.submit, 24),
    close: plain(form.cancel, 24),
    blocks: form.blocks,
  };
}

export const section = (text: string): types.SectionBlock => ({ type: 'section', text: mrkdwn(text) });

/**
 * A spreadsheet cell's text as a person typed it: a leading = + - @ (or tab, CR) gets a ' so
 * that a spreadsheet never runs it as a formula. Every file the bot writes (CSV, .xlsx) uses it.
 */
export function formulaSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
