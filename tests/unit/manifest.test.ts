import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLASH_COMMAND } from '../../src/blocks/ids.js';

const manifest = readFileSync(path.resolve(import.meta.dirname, '../../manifest.yml'), 'utf8');

describe('manifest.yml', () => {
  it('declares the slash command, interactivity, App Home and Socket Mode the bot uses', () => {
    expect(manifest).toContain(`- command: ${SLASH_COMMAND}`);
    expect(manifest).toMatch(/interactivity:\n\s+# .*\n\s+is_enabled: true/);
    expect(manifest).toContain('home_tab_enabled: true');
    expect(manifest).toContain('- app_home_opened');
    expect(manifest).toContain('socket_mode_enabled: true');
    expect(manifest).toContain('should_escape: true');
  });

  it('every bot scope carries a comment saying why it is needed', () => {
    const scopes = manifest.split('bot:\n')[1]?.split('settings:')[0] ?? '';
    const lines = scopes.split('\n').filter((line) => line.trim() !== '');
    for (const [i, line] of lines.entries()) {
      if (line.trim().startsWith('- ')) expect(lines[i - 1]?.trim().startsWith('#'), line).toBe(true);
    }
    expect(lines.filter((line) => line.trim().startsWith('- ')).map((l) => l.trim())).toEqual([
      '- commands',
      '- chat:write',
      '- im:write',
      '- files:write',
    ]);
  });
});
