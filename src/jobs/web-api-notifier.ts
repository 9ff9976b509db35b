/**
 * A Notifier on the Slack Web API for `cli job run` (the bot's own posts through its Bolt
 * app's client, src/main.ts, with notifierOf): the same chat.postMessage and files upload, with the client options the bot
 * uses (SLACK_API_URL when set, as src/app.ts). Few retries rather than Slack's default half
 * hour: an operator is waiting. The CLI imports this module only when a token is set.
 */
import { LogLevel, webApi } from '@slack/bolt';
import type { Notifier } from './job.js';

export function webApiNotifier(token: string, apiUrl: string | undefined): Notifier {
  const client = new webApi.WebClient(token, {
    ...(apiUrl && { slackApiUrl: apiUrl }),
    retryConfig: { retries: 2 },
    timeout: 30_000,
    logLevel: LogLevel.ERROR,
  });
  return notifierOf(client);
}

/** How jobs post through a Web API client: the bot's own (src/main.ts) or the CLI's. */
export function notifierOf(client: webApi.WebClient): Notifier {
  return {
    async post(channel, message) {
      await client.chat.postMessage({
        channel,
        text: message.text,
        ...(message.threadTs && { thread_ts: message.threadTs }),
      });
    },
    async upload(channel, file) {
      await client.files.uploadV2({
        channel_id: channel,
        file: file.bytes,
        filename: file.filename,
        title: file.title,
        initial_comment: file.comment,
      });
    },
  };
}
