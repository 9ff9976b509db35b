import { en } from './en.js';
import { type MessageKey, zhCN } from './zh-CN.js';

export type { MessageKey };
export type UiLocale = 'zh-CN' | 'en';

const CATALOGUES: Record<UiLocale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

/** A message in the user's language, with {placeholders} filled in. Unknown placeholders stay visible. */
export function t(locale: UiLocale, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = CATALOGUES[locale][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] !== undefined ? String(params[name]) : whole,
  );
}

export function hasMessage(key: string): key is MessageKey {
  return key in zhCN;
}

/** Slack mrkdwn control characters in user text must not change the formatting or mention people. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
