/** Slack payload factories with overrides (as bolt-js's own tests build them). */
import type { FakeSlack } from './fake-slack.js';

let triggerCounter = 0;

export function slashCommand(slack: FakeSlack, overrides: { text: string; user_id: string }): string {
  return new URLSearchParams({
    token: 'legacy-token',
    team_id: 'T0TEST',
    team_domain: 'test',
    channel_id: 'C0TEST',
    channel_name: 'general',
    user_name: overrides.user_id.toLowerCase(),
    command: '/kh',
    api_app_id: 'A0TEST',
    trigger_id: `trigger.${++triggerCounter}`,
    response_url: slack.responseUrl(),
    ...overrides,
  }).toString();
}

/** A `/kh` command as Socket Mode delivers it: an envelope on the WebSocket, to be acked by its id. */
export function socketSlashCommand(
  slack: FakeSlack,
  overrides: { envelope_id: string; text: string; user_id: string },
): string {
  const { envelope_id, ...command } = overrides;
  return JSON.stringify({
    envelope_id,
    type: 'slash_commands',
    accepts_response_payload: true,
    payload: {
      token: 'legacy',
      team_id: 'T0TEST',
      channel_id: 'C0TEST',
      user_name: command.user_id.toLowerCase(),
      command: '/kh',
      api_app_id: 'A0TEST',
      trigger_id: `trigger.${++triggerCounter}`,
      response_url: slack.responseUrl(),
      ...command,
    },
  });
}

export function blockAction(slack: FakeSlack, overrides: { user: string; action_id: string; value: string }): string {
  const payload = {
    type: 'block_actions',
    team: { id: 'T0TEST', domain: 'test' },
    user: { id: overrides.user, username: overrides.user.toLowerCase(), team_id: 'T0TEST' },
    api_app_id: 'A0TEST',
    token: 'legacy-token',
    trigger_id: `trigger.${++triggerCounter}`,
    response_url: slack.responseUrl(),
    container: { type: 'message', message_ts: '1.1', channel_id: 'C0TEST', is_ephemeral: true },
    channel: { id: 'C0TEST', name: 'general' },
    actions: [
      {
        type: 'button',
        action_id: overrides.action_id,
        block_id: 'b1',
        value: overrides.value,
        text: { type: 'plain_text', text: 'x' },
        action_ts: '1.2',
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** Form state as Slack sends it: block id → action id → element value. */
export type FormState = Record<string, Record<string, Record<string, unknown>>>;

/** Builds view.state.values from plain field values, typed the way the form renders them. */
export function formState(fields: Record<string, string | undefined>): FormState {
  const selects = new Set(['kind', 'specialCategory', 'secrecyLevel']);
  const dates = new Set(['foundedOn', 'tradeStartedOn', 'secrecyUntil']);
  const state: FormState = {};
  for (const [field, value] of Object.entries(fields)) {
    const element = selects.has(field)
      ? { type: 'static_select', selected_option: value ? { value, text: { type: 'plain_text', text: value } } : null }
      : dates.has(field)
        ? { type: 'datepicker', selected_date: value ?? null }
        : field === 'ownerSlackUserId'
          ? { type: 'users_select', selected_user: value ?? null }
          : { type: 'plain_text_input', value: value ?? null };
    state[field] = { value: element };
  }
  return state;
}

export function viewSubmission(overrides: {
  user: string;
  callback_id: string;
  private_metadata: string;
  state: FormState;
}): string {
  const payload = {
    type: 'view_submission',
    team: { id: 'T0TEST', domain: 'test' },
    user: { id: overrides.user, username: overrides.user.toLowerCase(), team_id: 'T0TEST' },
    api_app_id: 'A0TEST',
    token: 'legacy-token',
    trigger_id: `trigger.${++triggerCounter}`,
    view: {
      id: 'V0TEST',
      team_id: 'T0TEST',
      type: 'modal',
      callback_id: overrides.callback_id,
      private_metadata: overrides.private_metadata,
      state: { values: overrides.state },
      hash: 'h',
      blocks: [],
    },
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function appHomeOpened(user: string): string {
  return JSON.stringify({
    token: 'legacy-token',
    team_id: 'T0TEST',
    api_app_id: 'A0TEST',
    type: 'event_callback',
    event_id: `Ev${++triggerCounter}`,
    event_time: 1,
    event: { type: 'app_home_opened', user, channel: 'D0TEST', tab: 'home', event_ts: '1.1' },
  });
}
