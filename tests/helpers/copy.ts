/**
 * User-facing text in assertions comes from the catalogue, never typed into a test: a
 * wording change then changes the catalogue alone, and a test still fails when the bot
 * answers with a different message.
 */
import { type MessageKey, type MessageParams, t } from '../../src/blocks/i18n/index.js';
import { zhCN } from '../../src/blocks/i18n/zh-CN.js';

type ParamsArg<K extends MessageKey> = keyof MessageParams<K> extends never ? [] : [params: MessageParams<K>];

/** A message as the default (zh-CN) user reads it, placeholders filled. */
export function zh<K extends MessageKey>(key: K, ...params: ParamsArg<K>): string {
  return (t as (locale: 'zh-CN', key: K, ...rest: unknown[]) => string)('zh-CN', key, ...params);
}

/**
 * The fixed text of a zh-CN message before its first placeholder: for a message whose
 * parameters the test does not control (a generated reference, an action label).
 */
export function stem(key: MessageKey): string {
  const template: string = zhCN[key];
  const cut = template.indexOf('{');
  const fixed = cut === -1 ? template : template.slice(0, cut);
  if (fixed.length < 2) throw new Error(`message ${key} has too little fixed text to assert on`);
  return fixed;
}
