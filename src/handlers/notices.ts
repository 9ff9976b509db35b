import type { webApi } from '@slack/bolt';
import { noticeText } from '../blocks/notices.js';
import type { Notice } from '../domain/destination.js';
import type { HandlerDeps } from './deps.js';

/**
 * Sends what the domain asked others to be told (after the person acting had their answer).
 * Each destination separately: one that fails is logged and does not keep the rest uninformed.
 */
export async function sendNotices(deps: HandlerDeps, client: webApi.WebClient, notices: readonly Notice[]) {
  const sends = notices.flatMap((notice) =>
    notice.to.map(({ channel, threadTs }) =>
      client.chat.postMessage({
        channel,
        ...(threadTs && { thread_ts: threadTs }),
        text: noticeText(deps.defaultLocale, notice.about),
      }),
    ),
  );
  const failed = (await Promise.allSettled(sends)).filter((r) => r.status === 'rejected').length;
  if (failed > 0) deps.logger.error({ failed, kind: notices[0]?.about.kind }, 'some notices could not be sent');
}
