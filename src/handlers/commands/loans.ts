import { escapeMrkdwn, t } from '../../blocks/i18n/index.js';
import { loanRegisterText } from '../../blocks/loans.js';
import { parseCode } from '../../domain/codes.js';
import { LOAN_FILTERS, type LoanFilter, listLoans } from '../../domain/loans/list-loans.js';
import { returnLoan } from '../../domain/loans/return-loan.js';
import type { CommandContext } from './command-context.js';

/** `/kh loans [open|overdue|returned|all] [page]`: the register (the borrower's own for anyone else). */
export async function loans({ session, args, reply }: CommandContext): Promise<void> {
  const words = args.split(/\s+/).filter(Boolean);
  const filter = (LOAN_FILTERS as readonly string[]).includes(words[0] ?? '') ? (words.shift() as LoanFilter) : 'open';
  const page = words.length === 1 && /^\d{1,5}$/.test(words[0] ?? '') ? Number(words.shift()) : 1;
  if (words.length > 0) return void (await reply({ text: t(session.locale, 'usage.loans') }));
  const register = await listLoans(session.ctx, { filter, page });
  await reply({ text: loanRegisterText(session.locale, register) });
}

/** `/kh return <loan code>`: the archivist takes the volume back (注销); the borrower is told. */
export async function returnVolume({ session, args, reply, client }: CommandContext): Promise<void> {
  const code = parseCode('loan', args);
  if (!code) return void (await reply({ text: t(session.locale, 'usage.return') }));
  const returned = await returnLoan(session.ctx, code);
  await reply({
    text:
      t(session.locale, 'loan.returned', {
        code,
        volume: returned.volumeCode,
        box: escapeMrkdwn(returned.boxPath),
        user: returned.borrower,
      }) + (returned.late ? t(session.locale, 'loan.returned_late') : ''),
  });
  await client.chat.postMessage({
    channel: returned.borrower,
    text: t(session.locale, 'loan.returned_borrower', { code, volume: returned.volumeCode }),
  });
}
