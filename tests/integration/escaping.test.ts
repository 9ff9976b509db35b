/**
 * Slack formatting injection: user text reaches mrkdwn and notification text escaped (one
 * function, escapeMrkdwn), through every renderer, from records made by the real use cases.
 * A name like `<!channel> <https://evil.example/sso|客户档案系统>` must neither ping a channel
 * nor become a disguised link, in blocks, fallback texts, channel posts or error messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalBlocks, requestHeadline, threadStepText } from '../../src/blocks/approvals.js';
import { customerCardBlocks, customerCardText, customerCreatedText } from '../../src/blocks/customer-card.js';
import { declassifyPostText } from '../../src/blocks/declassify.js';
import { domainErrorText } from '../../src/blocks/errors.js';
import { findResultsBlocks, findResultsText } from '../../src/blocks/find-results.js';
import { homeView, whoamiText } from '../../src/blocks/help.js';
import { incidentReportBlocks } from '../../src/blocks/incident.js';
import { noticeText } from '../../src/blocks/notices.js';
import { createRequest } from '../../src/domain/approvals/create-request.js';
import { decideStep } from '../../src/domain/approvals/decide-step.js';
import { homeApprovals } from '../../src/domain/approvals/home-approvals.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { findCustomers } from '../../src/domain/customers/find-customers.js';
import { homeSummary } from '../../src/domain/customers/home-summary.js';
import { showCustomer } from '../../src/domain/customers/show-customer.js';
import { DomainError } from '../../src/domain/errors.js';
import { reportIncident } from '../../src/domain/incidents/report-incident.js';
import { ensurePerson } from '../../src/domain/people/ensure-person.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, TIME_ZONE, validCustomer } from '../helpers/fixtures.js';

/** What a hostile insider types: Slack's special sequences and its formatting characters. */
const CORPUS = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U0EVIL>',
  '<#C0EVIL>',
  '<https://evil.example/sso|客户档案系统>',
  'A & B',
];
const TEXT = CORPUS.join(' ');
/** Formatting characters have no escape in mrkdwn: they must at least reach the reader intact. */
const FORMATTING = '*粗* _斜_ ~删~ `码`';

/** Every mrkdwn string in a message or a list of blocks (plain_text is shown as typed and skipped). */
function mrkdwnTexts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(mrkdwnTexts);
  if (!value || typeof value !== 'object') return [];
  const object = value as Record<string, unknown>;
  if (object.type === 'plain_text') return [];
  return Object.entries(object).flatMap(([key, inner]) =>
    key === 'type' || key === 'action_id' || key === 'block_id' || key === 'value' ? [] : mrkdwnTexts(inner),
  );
}

function expectEscaped(rendered: unknown, label: string): void {
  const texts = mrkdwnTexts(rendered).join('\n');
  for (const raw of CORPUS) expect(texts, `${label}: ${raw}`).not.toContain(raw);
  expect(texts, label).not.toMatch(/<(?:!|@U0EVIL|#C0EVIL|https:\/\/evil)/);
}

let db: TestDb;
let code: string;

beforeAll(async () => {
  db = await createTestDb();
  await givePerson(db.prisma, 'USALES1', ['sales'], '销售一部');
  await givePerson(db.prisma, 'USALES2', ['sales'], '销售二部');
  await givePerson(db.prisma, 'UHEAD2', ['dept_head'], '销售二部');
  await givePerson(db.prisma, 'UARCH', ['archivist']);
  await givePerson(db.prisma, 'USUPER', ['supervisor']);
  await givePerson(db.prisma, 'UMGR', ['service_manager']);
  await givePerson(db.prisma, 'UGM', ['general_manager']);
  const created = await createCustomer(
    ctx(db.prisma, 'USALES1'),
    validCustomer({
      name: TEXT,
      address: TEXT,
      legalRepresentative: '<!here>',
      region: '<@U0EVIL>',
      mainDealings: `${TEXT}\n${FORMATTING}`,
      secrecyLevel: 'confidential',
    }),
  );
  code = created.code;
});
afterAll(() => db.close());

describe('SEC-12: user text is escaped in every renderer (Slack formatting injection)', () => {
  it('the registration confirmation, the card and its notification text', async () => {
    const created = await db.prisma.customer.findUniqueOrThrow({ where: { code } });
    expectEscaped(customerCreatedText('zh-CN', { code, name: created.name, secrecyLevel: 'confidential' }), 'created');
    const shown = await showCustomer(ctx(db.prisma, 'USALES1'), code);
    expectEscaped(customerCardText(shown), 'card text');
    const card = customerCardBlocks('zh-CN', shown, TIME_ZONE);
    expectEscaped(card, 'card');
    // Escaped, not dropped: the reader sees what was typed, formatting characters included.
    expect(mrkdwnTexts(card).join('\n')).toContain('&lt;!channel&gt;');
    expect(mrkdwnTexts(card).join('\n')).toContain(FORMATTING);
  });

  it('find results, their notification text, and a query made of the corpus', async () => {
    const found = await findCustomers(ctx(db.prisma, 'USALES1'), { query: code });
    expect(found.items[0]).toMatchObject({ visibility: 'visible' });
    expectEscaped(findResultsBlocks('zh-CN', found), 'find blocks');
    expectEscaped(findResultsText('zh-CN', found), 'find text');
    for (const query of CORPUS) {
      const none = await findCustomers(ctx(db.prisma, 'USALES2'), { query });
      expectEscaped(findResultsBlocks('zh-CN', none), `find none ${query}`);
      expectEscaped(findResultsText('zh-CN', none), `find none text ${query}`);
    }
  });

  it('App Home', async () => {
    const person = await ensurePerson(db.prisma, { slackUserId: 'USALES1', now: new Date() });
    const view = homeView(
      'zh-CN',
      person,
      await homeSummary(ctx(db.prisma, 'USALES1')),
      await homeApprovals(db.prisma, person),
      TIME_ZONE,
    );
    expectEscaped(view, 'home');
  });

  it('approval messages, the headline and the requester’s thread, with a rejection comment', async () => {
    const { request } = await createRequest(ctx(db.prisma, 'USALES2'), {
      kind: 'view',
      customerCode: code,
      purpose: TEXT,
      reason: TEXT,
      requesterProfile: TEXT,
      externalReference: '<!channel>',
    });
    const stepId = request.steps[0]?.id ?? 0;
    expectEscaped(approvalBlocks('zh-CN', request, TIME_ZONE, { stepId }), 'approval');
    expectEscaped(requestHeadline('zh-CN', request), 'headline');
    const outcome = await decideStep(ctx(db.prisma, 'UHEAD2'), { stepId, decision: 'reject', comment: TEXT });
    expectEscaped(threadStepText('zh-CN', outcome.request, stepId), 'thread');
    expectEscaped(approvalBlocks('zh-CN', outcome.request, TIME_ZONE, { stepId }), 'decided approval');
    const provide = await createRequest(ctx(db.prisma, 'USALES2'), {
      kind: 'provide',
      customerCode: code,
      purpose: '对外提供',
      reason: '合同需要',
      requesterProfile: '张伟',
      recipient: TEXT,
    });
    expectEscaped(approvalBlocks('zh-CN', provide.request, TIME_ZONE, { stepId: 0 }), 'provide');
  });

  it('leak reports and the notices beside them', async () => {
    const report = await reportIncident(ctx(db.prisma, 'USALES2'), {
      cause: 'leak',
      description: TEXT,
      howDiscovered: TEXT,
      remedy: TEXT,
      customerCodes: `${code} KH-2026-9999`,
    });
    expectEscaped(incidentReportBlocks('zh-CN', report, 'reported', TIME_ZONE), 'incident');
    expectEscaped(
      noticeText('zh-CN', { kind: 'incident_withheld_codes', incident: report.code, codes: CORPUS }),
      'notice',
    );
  });

  it('a department name typed by an admin, in whoami', async () => {
    await givePerson(db.prisma, 'UDEPT', ['sales'], '<!channel> <https://evil.example|部> & B');
    const person = await ensurePerson(db.prisma, { slackUserId: 'UDEPT', now: new Date() });
    expectEscaped(whoamiText('zh-CN', person), 'whoami');
  });

  it('the declassification post in a channel (SEC-7)', () => {
    expectEscaped(declassifyPostText('zh-CN', [{ code, name: TEXT }]), 'declassify');
  });

  it('error messages that echo what was typed', () => {
    const echoes = [
      new DomainError('customer_not_found', { code: TEXT }),
      new DomainError('request_not_found', { code: TEXT }),
      new DomainError('incident_not_found', { code: TEXT }),
      new DomainError('person_unknown_role', { role: TEXT }),
      new DomainError('setting_unknown', { key: TEXT }),
      new DomainError('incident_unknown_customers', { codes: CORPUS }),
    ];
    for (const error of echoes) {
      for (const locale of ['zh-CN', 'en'] as const) expectEscaped(domainErrorText(locale, error), error.code);
    }
  });
});
