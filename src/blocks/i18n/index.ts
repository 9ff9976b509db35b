import { en } from './en.js';
import { type MessageKey, zhCN } from './zh-CN.js';

export type { MessageKey };
export type UiLocale = 'zh-CN' | 'en';

const CATALOGUES: Record<UiLocale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

/** The {placeholder} names in a message template, as a union of string literals. */
export type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never;

/** The parameters a message needs: one per placeholder of its zh-CN template (en.ts is checked to match). */
export type MessageParams<K extends MessageKey> = Record<Placeholders<(typeof zhCN)[K]>, string | number>;

type ParamsArg<K extends MessageKey> = [Placeholders<(typeof zhCN)[K]>] extends [never]
  ? []
  : [params: MessageParams<K>];

/**
 * A message in the user's language with its {placeholders} filled in. The parameters are
 * typed by the key: a missing one does not compile (it would show `{code}` to the user).
 */
export function t<K extends MessageKey>(locale: UiLocale, key: K, ...[params]: ParamsArg<K>): string {
  return fill(CATALOGUES[locale][key], params ?? {});
}

/**
 * For a key chosen at run time among several (`error.${code}`): the caller guarantees the
 * parameters, as the error renderer does through DomainError's typed params.
 */
export function tDynamic(locale: UiLocale, key: MessageKey, params: Record<string, string | number>): string {
  return fill(CATALOGUES[locale][key], params);
}

function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] !== undefined ? String(params[name]) : whole,
  );
}

const LIST_STYLES = {
  /** A plain enumeration: 甲、乙、丙 / A, B, C. */
  all: { type: 'conjunction', style: 'narrow' },
  /** Every one of them: 甲、乙和丙 / A, B, and C. */
  and: { type: 'conjunction', style: 'long' },
  /** Any one of them: 甲、乙或丙 / A, B, or C. */
  or: { type: 'disjunction', style: 'long' },
} as const satisfies Record<string, Intl.ListFormatOptions>;
const listFormats = new Map<string, Intl.ListFormat>();

/** A list in the user's language (Intl.ListFormat), never a separator typed per locale. */
export function listOf(locale: UiLocale, items: readonly string[], kind: keyof typeof LIST_STYLES = 'all'): string {
  const key = `${locale}:${kind}`;
  let format = listFormats.get(key);
  if (!format) {
    format = new Intl.ListFormat(locale, LIST_STYLES[kind]);
    listFormats.set(key, format);
  }
  return format.format(items);
}

export function hasMessage(key: string): key is MessageKey {
  return key in zhCN;
}

/** Slack mrkdwn control characters in user text must not change the formatting or mention people. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
