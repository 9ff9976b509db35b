/**
 * DB-10, STAT-4: sales figures imported all or nothing. Every row is checked against the
 * ledger (a customer the importer may not know of is an unknown code, SEC-3); any problem and
 * nothing is saved, with every problem listed; otherwise every figure is saved in one
 * transaction, a month already imported is replaced and the old figure kept (STAT-11), and
 * the import is audited.
 */
import { Prisma } from '../../generated/prisma/client.js';
import { can } from '../access/capabilities.js';
import { loadViewer } from '../access/load-viewer.js';
import { visibilityOf } from '../access/visibility.js';
import { nextCode } from '../codes.js';
import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { localDateOf } from '../time.js';
import { denied, runUseCase } from '../use-case.js';
import { readSalesSheet, type SalesRow, type SheetProblem } from './sales-sheet.js';

/** A problem of a row the ledger finds (the sheet's own problems come from readSalesSheet). */
export type ImportProblem = SheetProblem | { row: number; column: 'code'; reason: 'unknown_customer' };

export interface SalesImported {
  code: string;
  rows: number;
  customers: number;
  months: string[];
  /** Figures that replaced an earlier import's (the old ones are kept). */
  replaced: number;
}

export type SalesImportOutcome = { ok: true; imported: SalesImported } | { ok: false; problems: ImportProblem[] };

/** A file as uploaded: read (readSalesSheet), then checked against the ledger and saved, or nothing. */
export async function importSalesFile(
  ctx: UseCaseContext,
  file: { name: string; bytes: Uint8Array },
): Promise<SalesImportOutcome> {
  // Who may not import learns nothing of the file either (the refusal is on the record).
  await runUseCase(ctx, async ({ me, refuse }) => {
    if (!can(me.roles, 'manageFigures'))
      refuse(new DomainError('not_allowed', { action: 'import' }), denied('sales', null, 'sales.import'));
  });
  const sheet = await readSalesSheet(file, localDateOf(ctx.now, ctx.timeZone));
  if (!sheet.ok) return { ok: false, problems: sheet.problems };
  return importSales(ctx, { fileName: file.name, rows: sheet.rows });
}

const fenToDecimal = (fen: bigint) => new Prisma.Decimal(fen.toString()).dividedBy(100);

export function importSales(
  ctx: UseCaseContext,
  input: { fileName: string; rows: readonly SalesRow[] },
): Promise<SalesImportOutcome> {
  return runUseCase(ctx, async ({ tx, now, timeZone, me, audit, refuse }) => {
    if (!can(me.roles, 'manageFigures'))
      return refuse(new DomainError('not_allowed', { action: 'import' }), denied('sales', null, 'sales.import'));
    const codes = [...new Set(input.rows.map((r) => r.code))];
    const customers = await tx.customer.findMany({
      where: { code: { in: codes } },
      select: { id: true, code: true, ownerId: true, secrecyLevel: true, secrecyUntil: true },
    });
    const viewer = await loadViewer(tx, me, now);
    // SEC-3, STAT-5: figures go only to customers the importer may read in full; one they may not
    // (masked or hidden) is answered like an unknown code — whether it had figures, and what they
    // were, is not theirs to learn or to overwrite.
    const known = new Map(
      customers.filter((c) => visibilityOf(viewer, c, now) === 'visible').map((c) => [c.code, c.id] as const),
    );
    const unknown: ImportProblem[] = input.rows
      .filter((row) => !known.has(row.code))
      .map((row) => ({ row: row.row, column: 'code' as const, reason: 'unknown_customer' as const }));
    if (unknown.length > 0) {
      // A refused import is on the record (how many rows, how many refused), never which codes.
      await audit({
        action: 'sales.import_refused',
        subjectType: 'sales',
        subjectId: null,
        details: { file: input.fileName.slice(0, 200), rows: input.rows.length, unknown: unknown.length },
      });
      return { ok: false, problems: unknown };
    }
    const months = [...new Set(input.rows.map((r) => r.month))].sort();
    const code = await nextCode(tx, 'salesImport', localDateOf(now, timeZone).year);
    const created = await tx.salesImport.create({
      data: {
        code,
        fileName: input.fileName.slice(0, 200),
        rows: input.rows.length,
        months,
        importedBy: me.slackUserId,
        importedAt: now,
      },
      select: { id: true },
    });
    // The figures they replace, kept (STAT-11); then every figure in one statement.
    const ids = input.rows.map((r) => known.get(r.code) ?? 0);
    const monthsOf = input.rows.map((r) => r.month);
    const amounts = input.rows.map((r) => fenToDecimal(r.amountFen).toFixed(2));
    const replaced = await tx.$executeRaw`
      INSERT INTO "SalesFigureChange" ("customerId", month, "oldAmount", "newAmount", "oldImportId", "newImportId", "changedAt")
      SELECT f."customerId", f.month, f.amount, n.amount, f."importId", ${created.id}, ${now}
        FROM unnest(${ids}::int[], ${monthsOf}::text[], ${amounts}::numeric[]) AS n("customerId", month, amount)
        JOIN "SalesFigure" f ON f."customerId" = n."customerId" AND f.month = n.month`;
    await tx.$executeRaw`
      INSERT INTO "SalesFigure" ("customerId", month, amount, "importId")
      SELECT * FROM unnest(${ids}::int[], ${monthsOf}::text[], ${amounts}::numeric[], array_fill(${created.id}::int, ARRAY[${ids.length}::int]))
      ON CONFLICT ("customerId", month) DO UPDATE SET amount = EXCLUDED.amount, "importId" = EXCLUDED."importId"`;
    await audit({
      action: 'sales.imported',
      subjectType: 'sales',
      subjectId: code,
      details: { file: input.fileName.slice(0, 200), rows: input.rows.length, months, replaced },
    });
    return { ok: true, imported: { code, rows: input.rows.length, customers: new Set(ids).size, months, replaced } };
  });
}
