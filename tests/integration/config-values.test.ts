/**
 * Values the regulations leave open are configuration with defaults (REQUIREMENTS.md), kept
 * in the settings table and set by admins: the leak report's window (SEC-16), the export
 * cap (DB-11), the approval reminder timings and the form's default secrecy period (SEC-7).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectApprovalReminders } from '../../src/domain/approvals/approval-reminders.js';
import { createCustomer } from '../../src/domain/customers/create-customer.js';
import { exportCustomers } from '../../src/domain/customers/export-customers.js';
import { reportIncident } from '../../src/domain/incidents/report-incident.js';
import { CONFIG_VALUES, readConfig, setConfigValue } from '../../src/domain/settings/config-values.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ctx, givePerson, NOW, TIME_ZONE, validCustomer } from '../helpers/fixtures.js';

let db: TestDb;

beforeAll(async () => {
  db = await createTestDb();
  await givePerson(db.prisma, 'UADMIN', ['admin']);
  await givePerson(db.prisma, 'USALES', ['sales'], '销售一部');
  await givePerson(db.prisma, 'UARCH', ['archivist']);
  await givePerson(db.prisma, 'USUPER', ['supervisor']);
});
afterAll(() => db.close());

describe('configuration values', () => {
  it('every value starts at its default', async () => {
    // Other tests set values: a database nobody has configured yet.
    const own = await createTestDb();
    try {
      const defaults = Object.fromEntries(Object.entries(CONFIG_VALUES).map(([key, spec]) => [key, spec.default]));
      expect(await readConfig(own.prisma)).toEqual(defaults);
    } finally {
      await own.close();
    }
  });

  it('SEC-16: the leak report lists views as far back as the configured window', async () => {
    expect(CONFIG_VALUES.incident_view_window_days.default).not.toBe(30);
    await setConfigValue(ctx(db.prisma, 'UADMIN'), 'incident_view_window_days', 30);
    const report = await reportIncident(ctx(db.prisma, 'USALES'), {
      cause: 'possible_leak',
      description: '资料遗落',
      howDiscovered: '巡检',
      remedy: '已收回',
    });
    expect(report.periodFrom).toEqual(new Date(NOW.getTime() - 30 * 86_400_000));
  });

  it('DB-11: an export carries at most the configured number of rows, and says so', async () => {
    for (const [i, name] of ['甲公司', '乙公司', '丙公司'].entries()) {
      // 公开 (unclassified) is set by a supervisor (SEC-6).
      await createCustomer(
        ctx(db.prisma, 'USUPER'),
        validCustomer({ name, phone: `0755-5555000${i}`, secrecyLevel: 'unclassified', secrecyUntil: '' }),
      );
    }
    await setConfigValue(ctx(db.prisma, 'UADMIN'), 'export_max_rows', 2);
    const result = await exportCustomers(ctx(db.prisma, 'UARCH'), { query: '' });
    expect(result).toMatchObject({ truncated: true, maxRows: 2 });
    expect(result.items).toHaveLength(2);
  });

  it('approval reminders use the configured timings', async () => {
    expect(CONFIG_VALUES.escalate_after_days.default).not.toBe(5);
    await setConfigValue(ctx(db.prisma, 'UADMIN'), 'escalate_after_days', 5);
    expect((await collectApprovalReminders(db.prisma, NOW, TIME_ZONE)).escalateAfterDays).toBe(5);
  });

  it('a value out of its range is refused; someone who is not an admin is refused and recorded', async () => {
    await setConfigValue(ctx(db.prisma, 'UADMIN'), 'export_max_rows', 7);
    const changed = { action: 'setting.changed', subjectId: 'config.export_max_rows' };
    const changesBefore = await db.prisma.auditEvent.count({ where: changed });
    const deniedWhere = { actor: 'USALES', action: 'access.denied', subjectId: 'config.export_max_rows' };
    const deniedBefore = await db.prisma.auditEvent.count({ where: deniedWhere });
    await expect(setConfigValue(ctx(db.prisma, 'UADMIN'), 'export_max_rows', 0)).rejects.toBeDomainError(
      'config_out_of_range',
      { key: 'export_max_rows', min: 1 },
    );
    await expect(setConfigValue(ctx(db.prisma, 'USALES'), 'export_max_rows', 5)).rejects.toBeDomainError('not_allowed');
    expect(await db.prisma.auditEvent.count({ where: deniedWhere })).toBe(deniedBefore + 1);
    expect((await readConfig(db.prisma)).export_max_rows).toBe(7);
    expect(await db.prisma.auditEvent.count({ where: changed })).toBe(changesBefore);
    const changes = await db.prisma.auditEvent.findMany({ where: { action: 'setting.changed', actor: 'UADMIN' } });
    expect(changes.map((e) => e.subjectId)).toContain('config.export_max_rows');
  });
});
