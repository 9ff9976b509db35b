import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { denied, runUseCase } from '../use-case.js';
import type { RestrictedSubcommand } from './capabilities.js';

/**
 * A `/kh` subcommand the person may not use (capabilities.ts, `refusedSubcommand`): refused before it
 * runs, and the attempt recorded like any other refusal, with what was typed (INFO-17, SEC-16).
 */
export function refuseSubcommand(ctx: UseCaseContext, subcommand: RestrictedSubcommand, text: string): Promise<never> {
  return runUseCase(ctx, ({ refuse }) =>
    refuse(
      new DomainError('not_allowed', { action: subcommand }),
      denied('subcommand', subcommand, `kh.${subcommand}`, { text: text.slice(0, 200) }),
    ),
  );
}
