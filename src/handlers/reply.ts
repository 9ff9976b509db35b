import { randomBytes } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import { domainErrorText, genericErrorText } from '../blocks/errors.js';
import type { UiLocale } from '../blocks/i18n/index.js';
import { isDomainError } from '../domain/errors.js';
import type { HandlerDeps } from './deps.js';

/** A short reference that ties a user's error message to the log line, without details. */
export function errorReference(): string {
  return randomBytes(4).toString('hex');
}

/**
 * Turns a failure into a message for the user: a DomainError in their language; anything else
 * is logged with a reference and the user gets an apology carrying that reference, never a
 * stack trace.
 */
export function failureText(deps: HandlerDeps, locale: UiLocale, error: unknown, where: string): string {
  if (isDomainError(error)) return domainErrorText(locale, error);
  const ref = errorReference();
  deps.logger.error({ err: error, ref, where }, 'request failed');
  return genericErrorText(locale, ref);
}

/** Runs a handler's work and replies with failureText if it throws. */
export async function replyOnFailure(
  deps: HandlerDeps,
  locale: UiLocale,
  where: string,
  reply: (text: string) => Promise<unknown>,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    await reply(failureText(deps, locale, error, where));
  }
}

/** JSON from a payload field Slack echoes back (button value, private_metadata); undefined if it is not JSON. */
export function parseJsonField(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}

/** Sends a file to the person's DM with the app (registers, reports, templates: never to a channel). */
export async function sendFileToDm(
  client: webApi.WebClient,
  userId: string,
  file: { bytes: Buffer; filename: string; title: string; comment?: string },
): Promise<void> {
  const dm = await client.conversations.open({ users: userId });
  const channelId = dm.channel?.id;
  if (!channelId) throw new Error('conversations.open returned no channel');
  await client.files.uploadV2({
    channel_id: channelId,
    file: file.bytes,
    filename: file.filename,
    title: file.title,
    ...(file.comment && { initial_comment: file.comment }),
  });
}
