/**
 * What Slack sends the bot, built from what a person did on the page: slash commands, block
 * actions, view submissions and closes, and the App Home event — signed with the signing
 * secret exactly as Slack signs them (v0 HMAC-SHA256 over `v0:timestamp:body`) and POSTed to
 * the bot's `/slack/events`. The bot cannot tell these from Slack's own.
 */
import { createHmac } from 'node:crypto';

export const LOCAL_TEAM = { id: 'T0LOCAL', domain: 'custodian-local' };
export const LOCAL_APP_ID = 'A0LOCAL';
const ACK_TIMEOUT_MS = 3_000;

export interface BotLink {
  eventsUrl: string;
  signingSecret: string;
}

export interface BotAnswer {
  status: number;
  /** The JSON body of the acknowledgement, if any (an ephemeral reply, `response_action`). */
  body: Record<string, unknown> | undefined;
}

function sign(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

async function send(link: BotLink, body: string, contentType: string): Promise<BotAnswer> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await fetch(link.eventsUrl, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': sign(link.signingSecret, timestamp, body),
    },
    body,
    // Slack waits three seconds for an acknowledgement.
    signal: AbortSignal.timeout(ACK_TIMEOUT_MS),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    parsed = text ? { text } : undefined;
  }
  return { status: response.status, body: parsed };
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

function user(id: string) {
  return { id, username: id.toLowerCase(), name: id.toLowerCase(), team_id: LOCAL_TEAM.id };
}

export function sendSlashCommand(
  link: BotLink,
  command: { user: string; channel: string; channelName: string; text: string; triggerId: string; responseUrl: string },
): Promise<BotAnswer> {
  return send(
    link,
    form({
      token: 'local',
      team_id: LOCAL_TEAM.id,
      team_domain: LOCAL_TEAM.domain,
      channel_id: command.channel,
      channel_name: command.channelName,
      user_id: command.user,
      user_name: command.user.toLowerCase(),
      command: '/kh',
      text: command.text,
      api_app_id: LOCAL_APP_ID,
      trigger_id: command.triggerId,
      response_url: command.responseUrl,
    }),
    'application/x-www-form-urlencoded',
  );
}

export type Container =
  | { type: 'message'; channel: string; channelName: string; messageTs: string; ephemeral: boolean; message?: unknown }
  | { type: 'view'; view: Record<string, unknown> & { id: string } };

export function sendBlockAction(
  link: BotLink,
  action: {
    user: string;
    container: Container;
    action: Record<string, unknown>;
    triggerId: string;
    responseUrl?: string;
  },
): Promise<BotAnswer> {
  const { container } = action;
  const payload = {
    type: 'block_actions',
    team: LOCAL_TEAM,
    user: user(action.user),
    api_app_id: LOCAL_APP_ID,
    token: 'local',
    trigger_id: action.triggerId,
    ...(action.responseUrl && { response_url: action.responseUrl }),
    ...(container.type === 'message'
      ? {
          container: {
            type: 'message',
            message_ts: container.messageTs,
            channel_id: container.channel,
            is_ephemeral: container.ephemeral,
          },
          channel: { id: container.channel, name: container.channelName },
          ...(container.message !== undefined && { message: container.message }),
        }
      : { container: { type: 'view', view_id: container.view.id }, view: container.view }),
    actions: [{ action_ts: `${Date.now() / 1000}`, ...action.action }],
  };
  return send(link, form({ payload: JSON.stringify(payload) }), 'application/x-www-form-urlencoded');
}

export function sendViewSubmission(
  link: BotLink,
  submission: { user: string; view: Record<string, unknown> & { id: string }; values: unknown; triggerId: string },
): Promise<BotAnswer> {
  const payload = {
    type: 'view_submission',
    team: LOCAL_TEAM,
    user: user(submission.user),
    api_app_id: LOCAL_APP_ID,
    token: 'local',
    trigger_id: submission.triggerId,
    view: {
      ...submission.view,
      team_id: LOCAL_TEAM.id,
      state: { values: submission.values },
      hash: submission.view.id,
    },
  };
  return send(link, form({ payload: JSON.stringify(payload) }), 'application/x-www-form-urlencoded');
}

export function sendViewClosed(link: BotLink, closed: { user: string; view: Record<string, unknown> }) {
  const payload = {
    type: 'view_closed',
    team: LOCAL_TEAM,
    user: user(closed.user),
    api_app_id: LOCAL_APP_ID,
    token: 'local',
    view: closed.view,
    is_cleared: false,
  };
  return send(link, form({ payload: JSON.stringify(payload) }), 'application/x-www-form-urlencoded');
}

let eventCounter = 0;

export function sendAppHomeOpened(link: BotLink, opened: { user: string; channel: string }): Promise<BotAnswer> {
  return send(
    link,
    JSON.stringify({
      token: 'local',
      team_id: LOCAL_TEAM.id,
      api_app_id: LOCAL_APP_ID,
      type: 'event_callback',
      event_id: `EvLOCAL${++eventCounter}${Date.now()}`,
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'app_home_opened',
        user: opened.user,
        channel: opened.channel,
        tab: 'home',
        event_ts: `${Date.now() / 1000}`,
      },
    }),
    'application/json',
  );
}
