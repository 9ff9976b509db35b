/** Loans in Slack: the request form, the receipt button, the register and App Home (codes and levels, never names). */
import type { types, ViewStateValue } from '@slack/bolt';
import { z } from 'zod';
import type { HomeLoans, LoanLine, LoanRegister } from '../domain/loans/list-loans.js';
import type { LoanField } from '../domain/loans/loan-input.js';
import { t, type UiLocale } from './i18n/index.js';
import { ACTION, VIEW } from './ids.js';
import { levelMarker } from './labels.js';
import { formModal, LIMITS, mrkdwn, plain, section } from './text.js';

export const LoanFormMetadata = z.object({ code: z.string().max(20) });

/** `/kh request loan <volume>` (INFO-19): material, copies, due date, purpose, reason, the requester's profile. */
export function loanFormView(
  locale: UiLocale,
  metadata: z.infer<typeof LoanFormMetadata>,
  maxDays: number,
): types.ModalView {
  const input = (field: Exclude<LoanField, 'dueOn'>, max: number, multiline = false): types.InputBlock => ({
    type: 'input',
    block_id: field,
    label: plain(t(locale, `loan.field.${field}`)),
    element: { type: 'plain_text_input', action_id: ACTION.fieldValue, multiline, max_length: max },
  });
  return formModal({
    callbackId: VIEW.loanForm,
    metadata: metadata,
    title: t(locale, 'loan.modal.title'),
    submit: t(locale, 'modal.submit'),
    cancel: t(locale, 'modal.cancel'),
    blocks: [
      { type: 'context', elements: [mrkdwn(t(locale, 'loan.modal.intro', { code: metadata.code, max: maxDays }))] },
      input('material', 500, true),
      input('copies', 2),
      {
        type: 'input',
        block_id: 'dueOn',
        label: plain(t(locale, 'loan.field.dueOn', { max: maxDays })),
        element: { type: 'datepicker', action_id: ACTION.fieldValue },
      },
      input('purpose', 1000, true),
      input('reason', 1000, true),
      input('requesterProfile', 500),
    ],
  });
}

export function readLoanForm(state: Record<string, Record<string, ViewStateValue>>): Record<LoanField, string> {
  const value = (field: LoanField) => (state[field]?.[ACTION.fieldValue]?.value ?? '').trim();
  return {
    material: value('material'),
    copies: value('copies'),
    dueOn: state.dueOn?.[ACTION.fieldValue]?.selected_date ?? '',
    purpose: value('purpose'),
    reason: value('reason'),
    requesterProfile: value('requesterProfile'),
  };
}

/** The borrower's signature in the register (INFO-19): a button under the approval in their thread. */
export function loanReceiptBlocks(locale: UiLocale, loan: { code: string; volumeCode: string; days: number }) {
  return [
    section(t(locale, 'loan.approved', { code: loan.code, volume: loan.volumeCode, days: loan.days })),
    {
      type: 'actions' as const,
      elements: [
        {
          type: 'button' as const,
          style: 'primary' as const,
          action_id: ACTION.receiveLoan,
          text: plain(t(locale, 'loan.receive_button'), LIMITS.buttonText),
          value: loan.code,
        },
      ],
    },
  ];
}

function loanLine(locale: UiLocale, line: LoanLine): string {
  return t(locale, 'loan.line', {
    code: line.code,
    volume: line.volumeCode,
    level: levelMarker(locale, line.level),
    user: line.borrower,
    state: t(locale, `loan.state.${line.state}`),
    due: line.dueOn ?? '—',
    overdue: line.daysOverdue > 0 ? t(locale, 'loan.overdue_marker', { days: line.daysOverdue }) : '',
  });
}

/** `/kh loans`: a page of the register. */
export function loanRegisterText(locale: UiLocale, register: LoanRegister): string {
  const title = t(locale, register.scope === 'all' ? 'loan.register_title' : 'loan.register_mine', {
    filter: t(locale, `loan.filter.${register.filter}`),
    total: register.total,
    page: register.page,
    pages: register.pages,
  });
  if (register.total === 0) return `${title}\n${t(locale, 'loan.register_empty')}`;
  const next =
    register.page < register.pages
      ? [t(locale, 'loan.register_next', { filter: register.filter, page: register.page + 1 })]
      : [];
  return [title, ...register.lines.map((line) => `• ${loanLine(locale, line)}`), ...next].join('\n');
}

/** App Home: the borrower's loans and due dates; the archivist's open and overdue loans. */
export function homeLoansBlocks(locale: UiLocale, loans: HomeLoans): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [];
  if (loans.mine.length > 0) {
    blocks.push(
      section([t(locale, 'home.my_loans'), ...loans.mine.map((line) => `• ${loanLine(locale, line)}`)].join('\n')),
    );
  }
  if (loans.register) {
    const { open, overdue, overdueTotal } = loans.register;
    blocks.push(
      section(
        [
          t(locale, 'home.loan_register', { open, overdue: overdueTotal }),
          ...overdue.map((line) => `• ${loanLine(locale, line)}`),
        ].join('\n'),
      ),
    );
  }
  return blocks;
}
