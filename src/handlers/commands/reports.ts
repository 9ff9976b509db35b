import { t } from '../../blocks/i18n/index.js';
import { reportXlsx } from '../../blocks/report-xlsx.js';
import {
  correctionFormView,
  reportBlocks,
  reportFormView,
  reportHeadline,
  reportListText,
} from '../../blocks/reports.js';
import { parseCode } from '../../domain/codes.js';
import { reportDraft } from '../../domain/statistics/compile-report.js';
import { listReports, readReport } from '../../domain/statistics/read-reports.js';
import { correctionTarget, proposeReportDestruction, submitReport } from '../../domain/statistics/report-requests.js';
import { messageApprovers, openRequesterThread } from '../approvals/notify.js';
import { sendFileToDm } from '../reply.js';
import type { CommandContext } from './command-context.js';

/**
 * `/kh report …` (STAT-3, STAT-7, INFO-9, INFO-10, INFO-11, INFO-12, INFO-13): `list [page]` (the default), `show|export <code
 * or period>`, `compile <period>` (the form), `submit <code>`, `correct <code>` (the slip form).
 */
export async function report(context: CommandContext): Promise<void> {
  const { session, args, reply } = context;
  const [first, ...rest] = args.split(/\s+/).filter(Boolean);
  const verb = (first ?? 'list').toLowerCase();
  const usage = () => reply({ text: t(session.locale, 'usage.report') });
  if (verb === 'list') {
    const page = rest.length === 0 ? 1 : /^\d{1,5}$/.test(rest[0] ?? '') && rest.length === 1 ? Number(rest[0]) : 0;
    if (page < 1) return void (await usage());
    return void (await reply({
      text: reportListText(session.locale, await listReports(session.ctx, page), context.deps.timeZone),
    }));
  }
  const [ref, extra, ...tail] = rest;
  // `/kh report export <ref> for <SQ-…>`: the hand-over to an outside unit (STAT-6).
  if (verb === 'export' && ref && extra === 'for' && tail.length === 1) {
    const request = parseCode('request', tail[0] ?? '');
    return request ? exportReport(context, ref, request) : void (await usage());
  }
  // `/kh report destroy <TJ-…> <why>` (STAT-9): the reason is the rest of the line.
  if (verb === 'destroy' && ref && extra) return destroy(context, ref, [extra, ...tail].join(' '));
  if (!ref || extra) return void (await usage());
  switch (verb) {
    case 'show':
      return show(context, ref);
    case 'export':
      return exportReport(context, ref);
    case 'compile':
      return compile(context, ref);
    case 'submit':
      return submit(context, ref);
    case 'correct':
      return correct(context, ref);
    default:
      return void (await usage());
  }
}

async function show({ session, reply, deps }: CommandContext, ref: string): Promise<void> {
  const view = await readReport(session.ctx, ref, 'show');
  await reply({
    text: reportHeadline(session.locale, view),
    blocks: reportBlocks(session.locale, view, deps.timeZone),
  });
}

async function exportReport(
  { session, reply, client, deps }: CommandContext,
  ref: string,
  forRequest?: string,
): Promise<void> {
  const view = await readReport(session.ctx, ref, 'export', forRequest ? { forRequest } : {});
  await sendFileToDm(client, session.person.slackUserId, {
    bytes: await reportXlsx(session.locale, view, deps.timeZone),
    filename: `${view.code}-${view.periodKey}.xlsx`,
    title: t(session.locale, 'report.file_title', { code: view.code }),
  });
  await reply({ text: t(session.locale, 'report.exported', { code: view.code }) });
}

async function compile({ session, client, triggerId }: CommandContext, periodText: string): Promise<void> {
  const draft = await reportDraft(session.ctx, periodText);
  await client.views.open({
    trigger_id: triggerId,
    view: reportFormView(session.locale, draft.period, draft.explanation),
  });
}

async function submit({ session, reply, client, deps }: CommandContext, codeText: string): Promise<void> {
  const code = parseCode('report', codeText);
  if (!code) return void (await reply({ text: t(session.locale, 'usage.report') }));
  const created = await submitReport(session.ctx, code);
  await reply({ text: t(session.locale, 'report.submitted', { code, request: created.request.code }) });
  await openRequesterThread(deps, client, session.locale, created.request);
  const first = created.request.steps.find((s) => s.state === 'open');
  if (first) await messageApprovers(deps, client, created.request, first.id, created.approvers);
}

async function destroy(
  { session, reply, client, deps }: CommandContext,
  codeText: string,
  reason: string,
): Promise<void> {
  const code = parseCode('report', codeText);
  if (!code) return void (await reply({ text: t(session.locale, 'usage.report') }));
  const created = await proposeReportDestruction(session.ctx, { code, reason });
  await reply({ text: t(session.locale, 'report.destruction_submitted', { code, request: created.request.code }) });
  await openRequesterThread(deps, client, session.locale, created.request);
  const first = created.request.steps.find((s) => s.state === 'open');
  if (first) await messageApprovers(deps, client, created.request, first.id, created.approvers);
}

async function correct({ session, reply, client, triggerId }: CommandContext, codeText: string): Promise<void> {
  const code = parseCode('report', codeText);
  if (!code) return void (await reply({ text: t(session.locale, 'usage.report') }));
  const target = await correctionTarget(session.ctx, code);
  await client.views.open({ trigger_id: triggerId, view: correctionFormView(session.locale, target) });
}
