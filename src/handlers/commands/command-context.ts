import type { types, webApi } from '@slack/bolt';
import type { HandlerDeps, Session } from '../deps.js';

/** What one `/kh` subcommand receives. */
export interface CommandContext {
  deps: HandlerDeps;
  session: Session;
  /** The text after the subcommand, trimmed. */
  args: string;
  triggerId: string;
  client: webApi.WebClient;
  /** An ephemeral reply to the person who typed the command. */
  reply(message: { text: string; blocks?: types.KnownBlock[] }): Promise<unknown>;
}

export type SubcommandHandler = (command: CommandContext) => Promise<void>;
