/** `<@U123>` or `<@U123|name>`, as Slack escapes a mention in command text. */
export const MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
