/**
 * The monthly statistics summary job (STAT-3, STAT-7, STAT-15): the month just ended (company
 * calendar) against the one before, by department, the grade mix and a chart, posted once to
 * the reports channel — with only figures anyone may see (SEC-3, STAT-5).
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { chartFontFile } from '../../src/blocks/charts.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { setChannel } from '../../src/domain/settings/settings.js';
import { importSalesFile } from '../../src/domain/statistics/import-sales.js';
import type { Notifier } from '../../src/jobs/job.js';
import { monthlyReportJob } from '../../src/jobs/monthly-report.js';
import { runJob } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/logger.js';
import { zh } from '../helpers/copy.js';
import { createTestDb } from '../helpers/db.js';
import { ctx, givePerson, TIME_ZONE, validCustomer } from '../helpers/fixtures.js';

const REPORTS = 'C0REPORTS';

class RecordingNotifier implements Notifier {
  readonly posts: { channel: string; text: string }[] = [];
  readonly uploads: { channel: string; filename: string; bytes: Buffer }[] = [];
  async post(channel: string, message: { text: string }) {
    this.posts.push({ channel, text: message.text });
  }
  async upload(channel: string, file: { filename: string; bytes: Buffer }) {
    this.uploads.push({ channel, filename: file.filename, bytes: file.bytes });
  }
}

async function ledger(options: { channel?: boolean } = {}) {
  const db = await createTestDb();
  onTestFinished(() => db.close());
  await givePerson(db.prisma, 'USALES1', ['sales'], '销售一部');
  await givePerson(db.prisma, 'USALES2', ['sales'], '销售二部');
  await givePerson(db.prisma, 'USUPER', ['supervisor'], '客户服务部');
  await givePerson(db.prisma, 'UADMIN', ['admin']);
  if (options.channel !== false) await setChannel(ctx(db.prisma, 'UADMIN'), 'reports', REPORTS);
  const customer = async (owner: string, name: string, secrecyLevel: 'unclassified' | 'confidential') =>
    (
      await createCustomer(
        ctx(db.prisma, 'USUPER'),
        validCustomer({
          name,
          phone: `0571-${String(86500000 + name.length * 7 + secrecyLevel.length)}`,
          secrecyLevel,
          ownerSlackUserId: owner,
        }),
      )
    ).code;
  const notifier = new RecordingNotifier();
  const deps = {
    db: db.prisma,
    logger: createLogger('silent'),
    timeZone: TIME_ZONE,
    defaultLocale: 'zh-CN' as const,
    notifier,
  };
  return { db, customer, notifier, deps };
}

const csv = (rows: string[][]) =>
  new TextEncoder().encode(['客户编号,月份,销售额', ...rows.map((r) => r.join(','))].join('\n'));

describe('monthly-report job', () => {
  it('STAT-7, STAT-15, SEC-3: the month just ended against the one before, by department, with a chart; a 机密 customer’s figures never reach the channel', async () => {
    const l = await ledger();
    const one = await l.customer('USALES1', '公开客户甲', 'unclassified');
    const two = await l.customer('USALES2', '公开客户乙', 'unclassified');
    const secret = await l.customer('USALES1', '机密客户丙', 'confidential');
    const imported = await importSalesFile(ctx(l.db.prisma, 'USUPER'), {
      name: 'sales.csv',
      bytes: csv([
        [one, '2026-11', '1000'],
        [one, '2026-10', '800'],
        [two, '2026-11', '500.50'],
        [secret, '2026-11', '99999'],
      ]),
    });
    expect(imported.ok).toBe(true);
    // 00:30 on 1 December in Shanghai is still 30 November in UTC: the month is November.
    const result = await monthlyReportJob.run(l.deps, new Date('2026-11-30T16:30:00Z'));
    expect(result).toMatchObject({ month: '2026-11', customers: 2, departments: 2, posted: true });
    const [post] = l.notifier.posts;
    expect(post?.channel).toBe(REPORTS);
    const lines = post?.text.split('\n') ?? [];
    expect(lines[0]).toBe(zh('summary.title', { month: '2026-11', customers: 2 }));
    expect(lines[1]).toBe(
      zh('summary.total', {
        total: '1500.50',
        previous: '800.00',
        change: zh('summary.change_up', { percent: '87.6' }),
      }),
    );
    expect(lines.slice(2, 4)).toEqual([
      zh('summary.department', { department: '销售一部', total: '1000.00', previous: '800.00' }),
      zh('summary.department', { department: '销售二部', total: '500.50', previous: '0.00' }),
    ]);
    expect(post?.text).not.toContain('99999');
    expect(post?.text).not.toContain('机密客户丙');
    // The chart: a PNG in the same channel wherever the CJK font is installed (CI installs it);
    // without it the text alone is posted.
    expect(result.chart).toBe(chartFontFile() !== undefined);
    expect(l.notifier.uploads.map((u) => [u.channel, u.filename, u.bytes.subarray(0, 4).toString('latin1')])).toEqual(
      result.chart ? [[REPORTS, 'sales-2026-11.png', '\x89PNG']] : [],
    );
  });

  it('STAT-7: once per month across replicas and restarts; without a reports channel nothing is posted', async () => {
    const l = await ledger();
    const one = await l.customer('USALES1', '公开客户丁', 'unclassified');
    await importSalesFile(ctx(l.db.prisma, 'USUPER'), { name: 's.csv', bytes: csv([[one, '2026-11', '10']]) });
    const firing = new Date('2026-12-01T01:00:00Z');
    const [a, b] = await Promise.all([
      runJob(l.deps, monthlyReportJob, firing, 'replica-a'),
      runJob(l.deps, monthlyReportJob, firing, 'replica-b'),
    ]);
    expect([a.status, b.status].sort()).toEqual(['already_claimed', 'done']);
    expect(l.notifier.posts).toHaveLength(1);

    const quiet = await ledger({ channel: false });
    expect(await monthlyReportJob.run(quiet.deps, firing)).toMatchObject({ posted: false });
    expect(quiet.notifier.posts).toEqual([]);
    // A month with no figures anyone may see says so.
    const empty = await ledger();
    await monthlyReportJob.run(empty.deps, firing);
    expect(empty.notifier.posts.map((p) => p.text)).toEqual([zh('summary.none', { month: '2026-11' })]);
  });
});
