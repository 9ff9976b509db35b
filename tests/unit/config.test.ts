import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, requireSlack } from '../../src/config.js';
import { canonicalJson } from '../../src/domain/audit/hash.js';

describe('configuration (public contract)', () => {
  it('applies the documented defaults; empty variables count as unset', () => {
    const config = loadConfig({ DATABASE_URL: '', PORT: ' ', TZ_COMPANY: '', DEFAULT_LOCALE: '' });
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      dataDir: './data',
      timeZone: 'Asia/Shanghai',
      defaultLocale: 'zh-CN',
      adminUserIds: [],
      logLevel: 'info',
    });
    expect(config.databaseUrl).toBeUndefined();
  });

  it('parses admin ids separated by commas or spaces', () => {
    expect(loadConfig({ ADMIN_USER_IDS: 'U1, U2  U3' }).adminUserIds).toEqual(['U1', 'U2', 'U3']);
  });

  it('names every invalid variable', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', TZ_COMPANY: 'Mars/Olympus', DATABASE_URL: 'mysql://x', DEFAULT_LOCALE: 'fr' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).message;
    for (const name of ['PORT', 'TZ_COMPANY', 'DATABASE_URL', 'DEFAULT_LOCALE']) expect(text).toContain(name);
  });

  it('says which Slack variables are missing for either mode', () => {
    expect(requireSlack(loadConfig({}))).toEqual({
      ok: false,
      missing: ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)'],
    });
    expect(requireSlack(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).ok).toBe(true);
    expect(requireSlack(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' })).ok).toBe(true);
    expect(requireSlack(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: '' })).ok).toBe(false);
  });
});

describe('audit hashing', () => {
  it('SEC-16: canonical JSON ignores key order, so jsonb cannot change a hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
  });
});
